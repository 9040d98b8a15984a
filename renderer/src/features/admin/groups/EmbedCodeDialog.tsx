import { useTranslation } from 'react-i18next';
import type { AdminGroup } from '../../../../../protocol/operator-socket';
import { CopyButton } from '../../../ui/CopyButton';
import { Dialog } from '../../../ui/Dialog';
import { TextAreaField } from '../../../ui/TextAreaField';
import { useAuthStore } from '../../login/store';
import { embedCode } from './embedCode';

/** The script tag that puts a group's chat on a website, to copy. */
export function EmbedCodeDialog({ group, onClose }: { group: AdminGroup; onClose(): void }) {
  const { t } = useTranslation();
  const serverOrigin = useAuthStore((store) =>
    store.auth?.status === 'signed_in' ? store.auth.serverOrigin : undefined,
  );
  if (serverOrigin === undefined) return null;
  const code = embedCode(serverOrigin, group.id);
  return (
    <Dialog title={t('admin.groups.embedDialog.title', { name: group.name })} onClose={onClose} wide>
      <p>{t('admin.groups.embedDialog.lead')}</p>
      {group.archived ? <p className="notice">{t('admin.groups.embedDialog.archived')}</p> : null}
      <TextAreaField
        label={t('admin.groups.embedDialog.code')}
        className="embed-code"
        readOnly
        rows={3}
        value={code}
        spellCheck={false}
        data-autofocus
        onFocus={(event) => event.target.select()}
      />
      <div className="actions embed-actions">
        <CopyButton
          text={code}
          ariaLabel={t('admin.groups.embedDialog.copyLabel')}
          labels={{
            copy: t('admin.groups.embedDialog.copy'),
            copied: t('admin.groups.embedDialog.copied'),
            failed: t('admin.groups.embedDialog.copyFailed'),
          }}
        />
        <button type="button" className="secondary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
