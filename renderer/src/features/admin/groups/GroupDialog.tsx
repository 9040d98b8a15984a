import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminGroup } from '../../../../../protocol/operator-socket';
import { Dialog } from '../../../ui/Dialog';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { FormActions } from '../../../ui/FormActions';
import { StaleEditNotice } from '../../../ui/StaleEditNotice';
import { useSubmitCheck } from '../../../ui/useSubmitCheck';
import { useVersionedSave } from '../../../ui/useVersionedSave';
import {
  countProblems,
  createParams,
  draftOf,
  newGroupDraft,
  problemsOf,
  updateParams,
  type GroupDraft,
} from './groupDraft';
import { GroupForm } from './GroupForm';
import { useGroupsStore } from './store';

const noNewerCopy = () => Promise.resolve(undefined);

/**
 * Creates a group, or edits one against the version it was loaded at: when someone else saved in
 * between, nothing is saved and the latest values are offered. Refusals keep what was typed.
 */
export function GroupDialog(props: {
  group?: AdminGroup;
  onClose(): void;
  onSaved(group: AdminGroup): void;
}) {
  const { t } = useTranslation();
  const { create, update, latest } = useGroupsStore();
  const [base, setBase] = useState(props.group);
  const [draft, setDraft] = useState<GroupDraft>(() =>
    props.group ? draftOf(props.group) : newGroupDraft(),
  );
  const baseId = base?.id;
  const fetchLatest = useCallback(() => (baseId ? latest(baseId) : noNewerCopy()), [latest, baseId]);
  const { busy, error, newer, save, forgetNewer } = useVersionedSave<AdminGroup>(
    base?.version ?? -1,
    fetchLatest,
  );
  const { formRef, tried, check } = useSubmitCheck();
  const problems = problemsOf(draft);
  const problemCount = countProblems(problems);

  function submit() {
    if (!check(problemCount === 0)) return;
    if (!base) {
      void save(async () => props.onSaved(await create(createParams(draft))));
      return;
    }
    const params = updateParams(base, draft);
    if (!params) return props.onClose();
    void save(async () => props.onSaved(await update(params)));
  }

  function reload(fresh: AdminGroup) {
    setBase(fresh);
    setDraft(draftOf(fresh));
    forgetNewer();
  }

  const title = base
    ? t('admin.groups.form.editTitle', { name: base.name })
    : t('admin.groups.form.createTitle');
  return (
    <Dialog title={title} onClose={props.onClose} wide>
      <form
        ref={formRef}
        className="form group-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <GroupForm
          draft={draft}
          onChange={(patch) => setDraft({ ...draft, ...patch })}
          problems={tried ? problems : { intervals: [] }}
          base={base}
        />
        {newer && base ? (
          <StaleEditNotice
            message={t('admin.groups.conflict.title', { name: base.name })}
            reloadLabel={t('admin.groups.conflict.reload')}
            reloadHint={t('admin.groups.conflict.reloadHint')}
            onReload={() => reload(newer)}
          />
        ) : null}
        <ErrorMessage
          error={
            tried && problemCount > 0 ? t('admin.groups.invalid.summary', { count: problemCount }) : error
          }
        />
        <FormActions
          backLabel={t('common.cancel')}
          onBack={props.onClose}
          submitLabel={base ? t('admin.groups.form.save') : t('admin.groups.form.create')}
          busy={busy || newer !== undefined}
        />
      </form>
    </Dialog>
  );
}
