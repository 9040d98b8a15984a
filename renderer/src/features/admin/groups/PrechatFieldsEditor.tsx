import { useTranslation } from 'react-i18next';
import {
  fieldModeSchema,
  prechatFieldNames,
  prechatFieldsConfigSchema,
  type PrechatFieldsConfig,
} from '../../../../../protocol/visitor-socket';
import { Checkbox } from '../../../ui/Checkbox';
import { FieldFrame } from '../../../ui/FieldFrame';
import { LanguageTexts } from './LanguageTexts';

/**
 * Which details the pre-chat (and offline) form asks for, what the custom field is called, and
 * whether visitors may correct them during a chat.
 */
export function PrechatFieldsEditor(props: {
  fields: PrechatFieldsConfig;
  onChange(fields: PrechatFieldsConfig): void;
}) {
  const { t } = useTranslation();
  const { fields } = props;
  return (
    <fieldset className="prechat-fields">
      <legend>{t('admin.groups.prechat.legend')}</legend>
      <p className="hint">{t('admin.groups.prechat.lead')}</p>
      <div className="prechat-modes">
        {prechatFieldNames.map((name) => (
          <FieldFrame
            key={name}
            label={t(`admin.groups.prechat.fields.${name}`)}
            control={(control) => (
              <select
                {...control}
                value={fields[name]}
                onChange={(event) => {
                  const mode = fieldModeSchema.parse(event.target.value);
                  props.onChange({ ...fields, [name]: mode });
                }}
              >
                {fieldModeSchema.options.map((mode) => (
                  <option key={mode} value={mode}>
                    {t(`admin.groups.prechat.modes.${mode}`)}
                  </option>
                ))}
              </select>
            )}
          />
        ))}
      </div>
      <LanguageTexts
        labelKey="admin.groups.prechat.customLabel"
        values={fields.customLabel}
        maxLength={prechatFieldsConfigSchema.shape.customLabel.valueType.maxLength}
        onChange={(customLabel) => props.onChange({ ...fields, customLabel })}
      />
      <div>
        <Checkbox
          label={t('admin.groups.prechat.visitorsMayEdit')}
          checked={fields.visitorsMayEdit}
          onChange={(visitorsMayEdit) => props.onChange({ ...fields, visitorsMayEdit })}
        />
        <p className="hint">{t('admin.groups.prechat.visitorsMayEditHint')}</p>
      </div>
    </fieldset>
  );
}
