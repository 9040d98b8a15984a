import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminOperator } from '../../../../../protocol/operator-socket';
import { Dialog } from '../../../ui/Dialog';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { FormActions } from '../../../ui/FormActions';
import { useSubmitCheck } from '../../../ui/useSubmitCheck';
import { useVersionedSave } from '../../../ui/useVersionedSave';
import { draftOf, problemsOf, updateParams, type OperatorDraft } from './operatorDraft';
import { OperatorForm } from './OperatorForm';
import { StaleEditNotice } from '../../../ui/StaleEditNotice';
import { useOperatorsStore } from './store';

/**
 * Changes an operator's name, role, groups and limit. The update names the version it was made
 * against; when someone else saved in between, nothing is saved and the latest values are offered.
 */
export function EditOperatorDialog(props: {
  operator: AdminOperator;
  onClose(): void;
  onSaved(saved: AdminOperator): void;
}) {
  const { t } = useTranslation();
  const groups = useOperatorsStore((store) => store.groups);
  const update = useOperatorsStore((store) => store.update);
  const latest = useOperatorsStore((store) => store.latest);
  const [base, setBase] = useState(props.operator);
  const [draft, setDraft] = useState<OperatorDraft>(() => draftOf(props.operator));
  const fetchLatest = useCallback(() => latest(base.id), [latest, base.id]);
  const { busy, error, newer, save, forgetNewer } = useVersionedSave<AdminOperator>(
    base.version,
    fetchLatest,
  );
  const { formRef, tried, check } = useSubmitCheck();
  const problems = problemsOf(draft, false);

  function submit() {
    if (!check(Object.keys(problems).length === 0)) return;
    const params = updateParams(base, draft);
    if (!params) return props.onClose();
    void save(async () => props.onSaved(await update(params)));
  }

  function reload(fresh: AdminOperator) {
    setBase(fresh);
    setDraft(draftOf(fresh));
    forgetNewer();
  }

  return (
    <Dialog title={t('admin.operators.form.editTitle', { name: base.displayName })} onClose={props.onClose}>
      <form
        ref={formRef}
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <OperatorForm
          draft={draft}
          onChange={(patch) => setDraft({ ...draft, ...patch })}
          problems={tried ? problems : {}}
          creating={false}
          groups={groups}
        />
        {newer ? (
          <StaleEditNotice
            message={t('admin.operators.conflict.title', { name: base.displayName })}
            reloadLabel={t('admin.operators.conflict.reload')}
            reloadHint={t('admin.operators.conflict.reloadHint')}
            onReload={() => reload(newer)}
          />
        ) : null}
        <ErrorMessage error={error} />
        <FormActions
          backLabel={t('common.cancel')}
          onBack={props.onClose}
          submitLabel={t('admin.operators.form.save')}
          busy={busy || newer !== undefined}
        />
      </form>
    </Dialog>
  );
}
