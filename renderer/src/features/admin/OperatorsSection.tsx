import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toParleyErrorData } from '../../../../protocol/errors';
import type { AdminOperator } from '../../../../protocol/operator-socket';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { LoadFailure } from '../../ui/LoadFailure';
import { useAuthStore } from '../login/store';
import { DoneNotice } from '../../ui/DoneNotice';
import { AdminSection } from './AdminSection';
import { ConfirmOperatorAction, type ConfirmedAction } from './operators/ConfirmOperatorAction';
import { CreateOperatorDialog } from './operators/CreateOperatorDialog';
import { EditOperatorDialog } from './operators/EditOperatorDialog';
import { OperatorFilters } from './operators/OperatorFilters';
import { OperatorRowActions, type OperatorAction } from './operators/OperatorRowActions';
import { OperatorTable } from './operators/OperatorTable';
import { SetupCodeDialog, type IssuedSetupCode } from './operators/SetupCodeDialog';
import { useOperatorsStore } from './operators/store';
import './operators.css';

type OpenDialog =
  | { kind: 'create' }
  | { kind: 'edit'; operator: AdminOperator }
  | { kind: 'confirm'; action: ConfirmedAction; operator: AdminOperator }
  | { kind: 'setupCode'; issued: IssuedSetupCode };

/** Operators: find them by name, role, group and state; admins also add, change and lock them out. */
export function OperatorsSection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { operators, groups, loaded, error, load } = useOperatorsStore();
  const setDisabled = useOperatorsStore((store) => store.setDisabled);
  const myId = useAuthStore((store) =>
    store.auth?.status === 'signed_in' ? store.auth.operator.id : undefined,
  );
  const [dialog, setDialog] = useState<OpenDialog | undefined>(undefined);
  // The outcome of the last row action: what happened, or why it did not.
  const [outcome, setOutcome] = useState<{ done?: string; failed?: string }>({});

  useEffect(() => {
    void useOperatorsStore.getState().open();
  }, []);

  const close = () => setDialog(undefined);
  // A confirmation that goes on to show a set-up code must not close that dialog as it goes.
  const closeConfirmation = () => setDialog((open) => (open?.kind === 'confirm' ? undefined : open));

  function act(operator: AdminOperator, action: OperatorAction) {
    setOutcome({});
    if (action !== 'enable') return setDialog({ kind: 'confirm', action, operator });
    const name = operator.displayName;
    setDisabled(operator.id, false).then(
      () => setOutcome({ done: t('admin.operators.done.enabled', { name }) }),
      (failure: unknown) => setOutcome({ failed: toParleyErrorData(failure).message }),
    );
  }

  const toolbar = (
    <>
      <OperatorFilters />
      <span className="operator-count muted" role="status">
        {loaded && !error ? t('admin.operators.filters.count', { count: operators.length }) : ''}
      </span>
      {canManage ? (
        <button
          type="button"
          className="primary"
          onClick={() => {
            setOutcome({});
            setDialog({ kind: 'create' });
          }}
        >
          {t('admin.operators.new')}
        </button>
      ) : null}
    </>
  );

  return (
    <AdminSection title={t('admin.nav.operators')} readOnly={!canManage} toolbar={toolbar}>
      <DoneNotice message={outcome.done} />
      <ErrorMessage error={outcome.failed} />
      {error ? (
        <LoadFailure
          message={error.message}
          retryLabel={t('admin.operators.retry')}
          onRetry={() => void load()}
        />
      ) : null}
      {!loaded ? <p className="muted">{t('app.loadingShort')}</p> : null}
      {loaded && !error && operators.length === 0 ? (
        <p className="muted">{t('admin.operators.none')}</p>
      ) : null}
      {loaded && operators.length > 0 ? (
        <OperatorTable
          operators={operators}
          groups={groups}
          myId={myId}
          actions={
            canManage
              ? (operator) => (
                  <OperatorRowActions
                    operator={operator}
                    isMe={operator.id === myId}
                    onEdit={() => {
                      setOutcome({});
                      setDialog({ kind: 'edit', operator });
                    }}
                    onAction={(action) => act(operator, action)}
                  />
                )
              : undefined
          }
        />
      ) : null}

      {dialog?.kind === 'create' ? (
        <CreateOperatorDialog
          onClose={close}
          onCreated={({ operator, setupCode, setupExpiresAt }) => {
            const name = operator.displayName;
            setOutcome({ done: t('admin.operators.done.created', { name }) });
            setDialog({
              kind: 'setupCode',
              issued: { displayName: name, username: operator.username, setupCode, setupExpiresAt },
            });
          }}
        />
      ) : null}
      {dialog?.kind === 'edit' ? (
        <EditOperatorDialog
          operator={dialog.operator}
          onClose={close}
          onSaved={(saved) => {
            setOutcome({ done: t('admin.operators.done.saved', { name: saved.displayName }) });
            close();
          }}
        />
      ) : null}
      {dialog?.kind === 'confirm' ? (
        <ConfirmOperatorAction
          action={dialog.action}
          operator={dialog.operator}
          onDone={(done) => setOutcome({ done })}
          onSetupCode={(issued) => setDialog({ kind: 'setupCode', issued })}
          onClose={closeConfirmation}
        />
      ) : null}
      {dialog?.kind === 'setupCode' ? <SetupCodeDialog issued={dialog.issued} onClose={close} /> : null}
    </AdminSection>
  );
}
