import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcResult } from '../../../../../protocol/ipc';
import { Dialog } from '../../../ui/Dialog';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { FormActions } from '../../../ui/FormActions';
import { useAction } from '../../../ui/useAction';
import { useSubmitCheck } from '../../../ui/useSubmitCheck';
import { createParams, emptyDraft, problemsOf, type OperatorDraft } from './operatorDraft';
import { OperatorForm } from './OperatorForm';
import { useOperatorsStore } from './store';

/** A new operator without a password: the result carries the set-up code that lets them choose one. */
export function CreateOperatorDialog(props: {
  onClose(): void;
  onCreated(result: IpcResult<'operators.create'>): void;
}) {
  const { t } = useTranslation();
  const groups = useOperatorsStore((store) => store.groups);
  const create = useOperatorsStore((store) => store.create);
  const [draft, setDraft] = useState<OperatorDraft>(emptyDraft);
  const { busy, error, run } = useAction();
  const { formRef, tried, check } = useSubmitCheck();
  const problems = problemsOf(draft, true);

  function submit() {
    if (!check(Object.keys(problems).length === 0)) return;
    void run(async () => props.onCreated(await create(createParams(draft))));
  }

  return (
    <Dialog title={t('admin.operators.form.createTitle')} onClose={props.onClose}>
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
          creating
          groups={groups}
        />
        <ErrorMessage error={error} />
        <FormActions
          backLabel={t('common.cancel')}
          onBack={props.onClose}
          submitLabel={t('admin.operators.form.create')}
          busy={busy}
        />
      </form>
    </Dialog>
  );
}
