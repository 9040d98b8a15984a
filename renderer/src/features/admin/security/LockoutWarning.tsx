import { useTranslation } from 'react-i18next';
import { Checkbox } from '../../../ui/Checkbox';
import type { AllowlistScope } from './lockout';

/**
 * Says that a change would shut the admin's own address out, and asks them to confirm they
 * mean it: `list` when Parley worked it out beforehand, `serverMessage` when the server refused.
 */
export function LockoutWarning(props: {
  address: string;
  list: AllowlistScope | undefined;
  serverMessage: string | undefined;
  confirmed: boolean;
  onConfirmedChange(confirmed: boolean): void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const text = props.list
    ? t('admin.security.allowlist.lockout.warning', {
        address: props.address,
        list: t(`admin.security.allowlist.lockout.lists.${props.list}`),
      })
    : props.serverMessage;
  return (
    <div role="alert" className="lockout-warning">
      <p>{text}</p>
      <Checkbox
        label={t('admin.security.allowlist.lockout.confirm')}
        checked={props.confirmed}
        disabled={props.disabled ?? false}
        onChange={props.onConfirmedChange}
      />
    </div>
  );
}
