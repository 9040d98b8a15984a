import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';
import { ErrorMessage } from './ErrorMessage';
import { useAction } from './useAction';

interface ConfirmActionDialogProps {
  title: string;
  /** What will happen, and anything the operator must tick before it may. */
  children: ReactNode;
  confirmLabel: string;
  /** While false the confirm button stays disabled (an "I understand" box not yet ticked). */
  canConfirm?: boolean;
  /**
   * Rejects with the core's error, which the dialog shows. Resolving to false keeps the dialog
   * open without an error, for a refusal the caller shows itself (and may ask to confirm anew).
   */
  onConfirm(): Promise<unknown>;
  onClose(): void;
}

/**
 * "Are you sure?" for an action that cannot be taken back (ending a session, removing a rule).
 * Cancel has the focus, so Enter on a stray keypress does nothing harmful.
 */
export function ConfirmActionDialog(props: ConfirmActionDialogProps) {
  const { t } = useTranslation();
  const { busy, error, run } = useAction();

  async function confirm() {
    let keepOpen = false;
    const ok = await run(async () => {
      keepOpen = (await props.onConfirm()) === false;
    });
    if (ok && !keepOpen) props.onClose();
  }

  return (
    <Dialog title={props.title} onClose={props.onClose}>
      {props.children}
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="button" className="secondary" data-autofocus onClick={props.onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="primary danger"
          disabled={busy || props.canConfirm === false}
          onClick={() => void confirm()}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
