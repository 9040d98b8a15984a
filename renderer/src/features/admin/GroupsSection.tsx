import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminGroup } from '../../../../protocol/operator-socket';
import { Checkbox } from '../../ui/Checkbox';
import { ConfirmActionDialog } from '../../ui/ConfirmActionDialog';
import { LoadFailure } from '../../ui/LoadFailure';
import { DoneNotice } from '../../ui/DoneNotice';
import { AdminSection } from './AdminSection';
import { EmbedCodeDialog } from './groups/EmbedCodeDialog';
import { GroupDialog } from './groups/GroupDialog';
import { GroupTable } from './groups/GroupTable';
import { useGroupsStore } from './groups/store';
import './groups.css';

type OpenDialog =
  | { kind: 'create' }
  | { kind: 'edit'; group: AdminGroup }
  | { kind: 'embed'; group: AdminGroup }
  | { kind: 'archive'; group: AdminGroup };

/** Groups: their queues, hours, widget and privacy notice, and the code that puts them on a website. */
export function GroupsSection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { groups, loaded, error, includeArchived, load, setIncludeArchived, setArchived } = useGroupsStore();
  const [dialog, setDialog] = useState<OpenDialog | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);

  useEffect(() => {
    void useGroupsStore.getState().open();
  }, []);

  function show(next: OpenDialog) {
    setDone(undefined);
    setDialog(next);
  }
  const close = () => setDialog(undefined);
  // An archive confirmation closes itself after success; it must not close a dialog opened since.
  const closeConfirmation = () => setDialog((open) => (open?.kind === 'archive' ? undefined : open));

  function rowActions(group: AdminGroup) {
    const name = group.name;
    return (
      <span className="group-actions">
        <button
          type="button"
          className="secondary small"
          aria-label={t('admin.groups.embedLabel', { name })}
          onClick={() => show({ kind: 'embed', group })}
        >
          {t('admin.groups.embed')}
        </button>
        {canManage ? (
          <>
            <button
              type="button"
              className="secondary small"
              aria-label={t('admin.groups.editLabel', { name })}
              onClick={() => show({ kind: 'edit', group })}
            >
              {t('admin.groups.edit')}
            </button>
            <button
              type="button"
              className="quiet small"
              aria-label={t(group.archived ? 'admin.groups.unarchiveLabel' : 'admin.groups.archiveLabel', {
                name,
              })}
              onClick={() => show({ kind: 'archive', group })}
            >
              {t(group.archived ? 'admin.groups.unarchive' : 'admin.groups.archive')}
            </button>
          </>
        ) : null}
      </span>
    );
  }

  const toolbar = (
    <>
      <Checkbox
        label={t('admin.groups.showArchived')}
        checked={includeArchived}
        onChange={setIncludeArchived}
      />
      <span className="group-count muted" role="status">
        {loaded && !error ? t('admin.groups.count', { count: groups.length }) : ''}
      </span>
      {canManage ? (
        <button type="button" className="primary" onClick={() => show({ kind: 'create' })}>
          {t('admin.groups.new')}
        </button>
      ) : null}
    </>
  );

  return (
    <AdminSection title={t('admin.nav.groups')} readOnly={!canManage} toolbar={toolbar}>
      <DoneNotice message={done} />
      {error ? (
        <LoadFailure
          message={error.message}
          retryLabel={t('admin.groups.retry')}
          onRetry={() => void load()}
        />
      ) : null}
      {!loaded ? <p className="muted">{t('app.loadingShort')}</p> : null}
      {loaded && !error && groups.length === 0 ? <p className="muted">{t('admin.groups.none')}</p> : null}
      {loaded && groups.length > 0 ? <GroupTable groups={groups} actions={rowActions} /> : null}

      {dialog?.kind === 'create' || dialog?.kind === 'edit' ? (
        <GroupDialog
          {...(dialog.kind === 'edit' ? { group: dialog.group } : {})}
          onClose={close}
          onSaved={(saved) => {
            if (dialog.kind === 'edit') {
              setDone(t('admin.groups.done.saved', { name: saved.name }));
              return close();
            }
            // A new group is of use only on a website: show where it goes next.
            setDone(t('admin.groups.done.created', { name: saved.name }));
            setDialog({ kind: 'embed', group: saved });
          }}
        />
      ) : null}
      {dialog?.kind === 'embed' ? <EmbedCodeDialog group={dialog.group} onClose={close} /> : null}
      {dialog?.kind === 'archive' ? (
        <ConfirmActionDialog
          title={t(
            dialog.group.archived
              ? 'admin.groups.confirm.unarchiveTitle'
              : 'admin.groups.confirm.archiveTitle',
            {
              name: dialog.group.name,
            },
          )}
          confirmLabel={t(dialog.group.archived ? 'admin.groups.unarchive' : 'admin.groups.archive')}
          onConfirm={async () => {
            const { group } = dialog;
            await setArchived(group.id, !group.archived);
            setDone(
              t(group.archived ? 'admin.groups.done.unarchived' : 'admin.groups.done.archived', {
                name: group.name,
              }),
            );
          }}
          onClose={closeConfirmation}
        >
          <p>
            {t(
              dialog.group.archived
                ? 'admin.groups.confirm.unarchiveBody'
                : 'admin.groups.confirm.archiveBody',
              {
                name: dialog.group.name,
              },
            )}
          </p>
        </ConfirmActionDialog>
      ) : null}
    </AdminSection>
  );
}
