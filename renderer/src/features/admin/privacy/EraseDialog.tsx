import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonData } from '../../../../../protocol/operator-socket';
import { ConfirmActionDialog } from '../../../ui/ConfirmActionDialog';
import { ValidatedTextArea } from '../../../ui/ValidatedField';
import { reasonBounds, reasonIsValid } from './erasure';

/**
 * The last look before an erasure: what goes (as counts), that it is final and reaches every
 * desktop, and the reason for the audit log. A refusal stays in the dialog with the reason typed.
 */
export function EraseDialog(props: {
  chosen: PersonData;
  onErase(reason: string): Promise<void>;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  // ValidatedTextArea passes no ref on, so the field is found inside its frame.
  const reasonFrame = useRef<HTMLDivElement>(null);
  const { visitors, chats, tickets } = props.chosen;
  const consents = visitors.reduce((sum, visitor) => sum + visitor.consents, 0);
  const open = chats.filter((chat) => chat.status === 'open').length;
  const k = 'admin.privacy.erasure';
  const items = [
    { key: 'chats', count: chats.length },
    { key: 'tickets', count: tickets.length },
    { key: 'visitors', count: visitors.length },
    { key: 'consents', count: consents },
  ] as const;

  async function confirm() {
    setTried(true);
    if (!reasonIsValid(reason)) {
      reasonFrame.current?.querySelector('textarea')?.focus();
      return false;
    }
    await props.onErase(reason);
    return true;
  }

  return (
    <ConfirmActionDialog
      title={t(`${k}.dialog.title`)}
      confirmLabel={t(`${k}.dialog.confirm`)}
      onConfirm={confirm}
      onClose={props.onClose}
    >
      <p>{t(`${k}.dialog.lead`)}</p>
      <ul className="erasure-summary">
        {items
          .filter((item) => item.count > 0)
          .map((item) => (
            <li key={item.key}>{t(`${k}.counts.${item.key}`, { count: item.count })}</li>
          ))}
      </ul>
      {chats.length > 0 ? <p className="hint">{t(`${k}.dialog.messages`)}</p> : null}
      {visitors.length > 0 ? <p className="hint">{t(`${k}.dialog.visitorsTakeAll`)}</p> : null}
      {open > 0 ? (
        <p className="notice erasure-open-warning">{t(`${k}.dialog.open`, { count: open })}</p>
      ) : null}
      <p>
        <strong>{t(`${k}.dialog.final`)}</strong>
      </p>
      <div ref={reasonFrame}>
        <ValidatedTextArea
          data-autofocus
          label={t(`${k}.dialog.reason`)}
          hint={t(`${k}.dialog.reasonHint`)}
          error={tried && !reasonIsValid(reason) ? t(`${k}.dialog.reasonInvalid`, reasonBounds) : undefined}
          rows={2}
          maxLength={reasonBounds.max}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
    </ConfirmActionDialog>
  );
}
