import { useTranslation } from 'react-i18next';
import { privacyNoticeSchema, type PrivacyNotice } from '../../../../../protocol/visitor-socket';
import { LanguageTexts } from './LanguageTexts';

interface PrivacyNoticeEditorProps {
  text: PrivacyNotice['text'];
  /** The version visitors have accepted so far; undefined for a new group. */
  version: string | undefined;
  /** The text differs from the saved one: saving publishes a new version. */
  changed: boolean;
  onChange(text: PrivacyNotice['text']): void;
}

/** The notice visitors accept before chatting; a new text is a new version they must accept again. */
export function PrivacyNoticeEditor({ text, version, changed, onChange }: PrivacyNoticeEditorProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="privacy-notice">
      <legend>{t('admin.groups.privacy.legend')}</legend>
      <p className="hint">
        {t('admin.groups.privacy.lead')}
        {version !== undefined ? ` ${t('admin.groups.privacy.version', { version })}` : null}
      </p>
      {changed ? (
        <p className="notice privacy-changed">{t('admin.groups.privacy.changed')}</p>
      ) : (
        <p className="hint">{t('admin.groups.privacy.newVersion')}</p>
      )}
      <LanguageTexts
        labelKey="admin.groups.privacy.text"
        values={text}
        maxLength={privacyNoticeSchema.shape.text.valueType.maxLength}
        rows={5}
        onChange={onChange}
      />
    </fieldset>
  );
}
