import { useTranslation } from 'react-i18next';
import { visitorLanguageSchema, type VisitorLanguage } from '../../../../../protocol/visitor-socket';
import { Field } from '../../../ui/Field';
import { TextAreaField } from '../../../ui/TextAreaField';

interface LanguageTextsProps {
  /** The message key of the label; it interpolates {{language}}. */
  labelKey: string;
  values: Record<VisitorLanguage, string>;
  onChange(values: Record<VisitorLanguage, string>): void;
  /** The protocol's longest text, e.g. widgetSettingsSchema.shape.greeting.valueType.maxLength. */
  maxLength: number | null;
  /** Rows of a multi-line text; a single line without. */
  rows?: number;
}

/** One text a visitor reads, in each language the widget speaks. */
export function LanguageTexts({ labelKey, values, onChange, maxLength, rows }: LanguageTextsProps) {
  const { t } = useTranslation();
  return (
    <div className="language-texts">
      {visitorLanguageSchema.options.map((language) => {
        const common = {
          label: t(labelKey, { language: t(`admin.groups.languages.${language}`) }),
          value: values[language],
          maxLength: maxLength ?? undefined,
          lang: language,
        };
        return rows === undefined ? (
          <Field
            key={language}
            {...common}
            onChange={(event) => onChange({ ...values, [language]: event.target.value })}
          />
        ) : (
          <TextAreaField
            key={language}
            {...common}
            rows={rows}
            onChange={(event) => onChange({ ...values, [language]: event.target.value })}
          />
        );
      })}
    </div>
  );
}
