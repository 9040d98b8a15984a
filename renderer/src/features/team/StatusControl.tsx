import { useTranslation } from 'react-i18next';
import type { OperatorStatus } from '../../../../protocol/operator-socket';
import { Checkbox } from '../../ui/Checkbox';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Select } from '../../ui/Select';
import { useTeamStore } from './store';

const choices = ['online', 'away', 'busy'] as const;

/** My presence as colleagues see it, and whether new chats may come to me. */
export function StatusControl() {
  const { t } = useTranslation();
  const { me, error, setStatus, setAcceptingChats } = useTeamStore();
  if (!me) return null;
  // Offline is the server's word for "no connection"; it is shown, never chosen.
  const options: { value: OperatorStatus; label: string; disabled?: boolean }[] = choices.map((value) => ({
    value,
    label: t(`status.values.${value}`),
  }));
  if (me.status === 'offline')
    options.push({ value: 'offline', label: t('status.values.offline'), disabled: true });

  return (
    <div className="my-status" role="group" aria-label={t('status.group')}>
      <span className={`presence presence-${me.status}`} aria-hidden="true" />
      <Select
        label={t('status.label')}
        labelHidden
        value={me.status}
        options={options}
        onChange={(status) => {
          if (status !== 'offline') void setStatus(status);
        }}
      />
      {me.automatic ? <span className="muted">{t('status.automatic')}</span> : null}
      <Checkbox
        label={t('status.accepting')}
        checked={me.acceptingChats}
        onChange={(on) => void setAcceptingChats(on)}
      />
      <ErrorMessage error={error} />
    </div>
  );
}
