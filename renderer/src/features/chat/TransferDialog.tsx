import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatSummary } from '../../../../protocol/operator-socket';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { TextAreaField } from '../../ui/TextAreaField';
import { useAction } from '../../ui/useAction';
import { useTeamStore } from '../team/store';
import { useChatStore } from './store';

type Target = { operatorId: string } | { groupId: string };

function sameTarget(a: Target | undefined, b: Target): boolean {
  if (a === undefined) return false;
  return 'operatorId' in a
    ? 'operatorId' in b && a.operatorId === b.operatorId
    : 'groupId' in b && a.groupId === b.groupId;
}

/**
 * Hands the chat to a colleague (it rings at them) or to a group's queue, with an optional note
 * that becomes a system message in the chat. Offline colleagues cannot take it.
 */
export function TransferDialog({
  chat,
  myId,
  onClose,
}: {
  chat: ChatSummary;
  myId: string;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const transfer = useChatStore((state) => state.transfer);
  const operators = useTeamStore((state) => state.operators).filter((operator) => operator.id !== myId);
  const groups = useTeamStore((state) => state.groups);
  const [target, setTarget] = useState<Target | undefined>(undefined);
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();
  const chosen = (candidate: Target) => sameTarget(target, candidate);

  function submit() {
    if (!target) return;
    const trimmed = note.trim();
    const args =
      trimmed === '' ? { chatId: chat.id, to: target } : { chatId: chat.id, to: target, note: trimmed };
    void run(() => transfer(args)).then((ok) => ok && onClose());
  }

  return (
    <Dialog title={t('transfer.title', { name: chat.visitorName })} onClose={onClose} wide>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <div className="transfer-targets">
          <fieldset>
            <legend>{t('transfer.colleagues')}</legend>
            {operators.length === 0 ? <p className="muted">{t('transfer.noColleagues')}</p> : null}
            {operators.map((operator) => {
              const offline = operator.status === 'offline';
              return (
                <label key={operator.id} className={offline ? 'target target-disabled' : 'target'}>
                  <input
                    type="radio"
                    name="transfer-target"
                    disabled={offline}
                    checked={chosen({ operatorId: operator.id })}
                    onChange={() => setTarget({ operatorId: operator.id })}
                  />
                  <span className={`presence presence-${operator.status}`} aria-hidden="true" />
                  <span className="target-name">{operator.displayName}</span>
                  <span className="muted">
                    {t(`status.values.${operator.status}`)}
                    {!offline && !operator.acceptingChats ? ` · ${t('transfer.notAccepting')}` : ''}
                  </span>
                </label>
              );
            })}
          </fieldset>
          <fieldset>
            <legend>{t('transfer.groups')}</legend>
            {groups.map((group) => (
              <label key={group.id} className="target">
                <input
                  type="radio"
                  name="transfer-target"
                  checked={chosen({ groupId: group.id })}
                  onChange={() => setTarget({ groupId: group.id })}
                />
                <span className="target-name">{group.name}</span>
                {group.id === chat.groupId ? (
                  <span className="muted">{t('transfer.currentGroup')}</span>
                ) : null}
              </label>
            ))}
          </fieldset>
        </div>
        <TextAreaField
          label={t('transfer.note')}
          hint={t('transfer.noteHint')}
          rows={3}
          maxLength={1000}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || target === undefined}>
            {t('transfer.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
