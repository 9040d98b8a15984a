import { useTranslation } from 'react-i18next';
import { useAuthStore } from '../login/store';

/** "Signing in to …" while a sign-in or an account set-up is on its way to the server. */
export function SigningInStatus() {
  const { t } = useTranslation();
  const auth = useAuthStore((state) => state.auth);
  if (auth?.status !== 'signing_in') return null;
  return <p role="status">{t('connect.signingIn', { server: auth.server })}</p>;
}
