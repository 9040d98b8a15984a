import { useTranslation } from 'react-i18next';
import type { Permission } from '../../../../protocol/roles';
import { visibleSections } from '../admin/sections';
import { useSessionStore, type SessionView } from './store';

/** Chats or administration; shown only to roles that may see at least one administration screen. */
export function ViewSwitch({ permissions }: { permissions: readonly Permission[] }) {
  const { t } = useTranslation();
  const view = useSessionStore((store) => store.view);
  const show = useSessionStore((store) => store.show);
  if (visibleSections(permissions).length === 0) return null;
  const views: SessionView[] = ['desk', 'admin'];
  return (
    <nav className="view-switch" aria-label={t('session.views')}>
      {views.map((option) => (
        <button
          key={option}
          type="button"
          className={option === view ? 'secondary current' : 'quiet'}
          aria-current={option === view ? 'page' : undefined}
          onClick={() => show(option)}
        >
          {t(`session.view.${option}`)}
        </button>
      ))}
    </nav>
  );
}
