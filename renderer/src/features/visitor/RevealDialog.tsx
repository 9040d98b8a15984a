import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { operatorMethods } from '../../../../protocol/operator-socket';
import { revealSeconds } from '../../../../protocol/masking';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { FormActions } from '../../ui/FormActions';
import { useAction } from '../../ui/useAction';
import { useSubmitCheck } from '../../ui/useSubmitCheck';
import { ValidatedField } from '../../ui/ValidatedField';

// The server's own rule, so the dialog refuses exactly what the server would.
const reasonRule = operatorMethods['visitor.reveal'].params.shape.reason;
const reasonBounds = { min: reasonRule.minLength ?? 3, max: reasonRule.maxLength ?? 500 };

/**
 * Asks why before a masked value is revealed: the reason goes to the audit log with the reveal.
 * A refusal stays in the dialog, with the reason as typed.
 */
export function RevealDialog(props: {
  /** The field as the sentence names it: "email", "phone". */
  fieldName: string;
  onReveal(reason: string): Promise<void>;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const { formRef, tried, check } = useSubmitCheck();
  const { busy, error, run } = useAction();
  const valid = reasonRule.safeParse(reason).success;

  async function submit() {
    if (!check(valid)) return;
    if (await run(() => props.onReveal(reason.trim()))) props.onClose();
  }

  return (
    <Dialog title={t('visitor.reveal.title', { field: props.fieldName })} onClose={props.onClose}>
      <form
        ref={formRef}
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <p className="reveal-lead">{t('visitor.reveal.lead', { minutes: Math.round(revealSeconds / 60) })}</p>
        <ValidatedField
          data-autofocus
          label={t('visitor.reveal.reason')}
          hint={t('visitor.reveal.reasonHint')}
          error={tried && !valid ? t('visitor.reveal.reasonInvalid', reasonBounds) : undefined}
          maxLength={reasonBounds.max}
          autoComplete="off"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        <ErrorMessage error={error} />
        <FormActions
          backLabel={t('common.cancel')}
          onBack={props.onClose}
          submitLabel={t('visitor.reveal.confirm')}
          busy={busy}
        />
      </form>
    </Dialog>
  );
}
