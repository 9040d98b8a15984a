import { useTranslation } from 'react-i18next';
import { useAuthStore } from '../features/login/store';

/** Things the core wants the operator to know (a rebuilt cache, an ended session), until dismissed. */
export function Notices() {
  const { t } = useTranslation();
  const notices = useAuthStore((state) => state.notices);
  const dismiss = useAuthStore((state) => state.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice, index) => (
        <p key={`${notice.kind}-${index}`} role="alert" className="notice">
          {notice.message}{' '}
          <button type="button" className="quiet" onClick={() => dismiss(notice)}>
            {t('app.dismiss')}
          </button>
        </p>
      ))}
    </div>
  );
}
