import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyButton } from '../../../ui/CopyButton';
import { formatDateTime } from '../../../ui/dateTime';
import { Dialog } from '../../../ui/Dialog';

/** A fresh set-up code, the operator's only way to choose their password. */
export interface IssuedSetupCode {
  displayName: string;
  username: string;
  setupCode: string;
  setupExpiresAt: string;
}

/**
 * Shows a set-up code once: Parley keeps it nowhere, so closing this dialog is the last chance to
 * copy it. Says how the new operator uses it, and that their password stays theirs alone.
 */
export function SetupCodeDialog({ issued, onClose }: { issued: IssuedSetupCode; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const codeId = useId();
  const name = issued.displayName;
  return (
    <Dialog title={t('admin.operators.setupCode.title', { name })} onClose={onClose}>
      <p className="notice setup-code-once">{t('admin.operators.setupCode.once', { name })}</p>
      <div className="setup-code">
        <label htmlFor={codeId}>{t('admin.operators.setupCode.code')}</label>
        <div className="setup-code-value">
          <input
            id={codeId}
            readOnly
            value={issued.setupCode}
            spellCheck={false}
            // Focus lands on the code, selected: Ctrl+C copies it, and a stray Enter closes nothing.
            data-autofocus
            onFocus={(event) => event.target.select()}
          />
          <CopyButton
            text={issued.setupCode}
            ariaLabel={t('admin.operators.setupCode.copyLabel')}
            labels={{
              copy: t('admin.operators.setupCode.copy'),
              copied: t('admin.operators.setupCode.copied'),
              failed: t('admin.operators.setupCode.copyFailed'),
            }}
          />
        </div>
      </div>
      <dl className="setup-code-facts">
        <dt>{t('admin.operators.setupCode.username')}</dt>
        <dd>{issued.username}</dd>
        <dt>{t('admin.operators.setupCode.expires')}</dt>
        <dd>
          {t('admin.operators.setupCode.expiresValue', {
            time: formatDateTime(issued.setupExpiresAt, i18n.language),
          })}
        </dd>
      </dl>
      <p>{t('admin.operators.setupCode.howTo', { name, username: issued.username })}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={onClose}>
          {t('admin.operators.setupCode.done')}
        </button>
      </div>
    </Dialog>
  );
}
