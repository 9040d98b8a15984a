import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AuditSection } from './AuditSection';
import { GroupsSection } from './GroupsSection';
import { OperatorsSection } from './OperatorsSection';
import { PrivacySection } from './PrivacySection';
import { SecuritySection } from './SecuritySection';
import { SessionsSection } from './SessionsSection';
import { visibleSections, type AdminSectionId } from './sections';
import { useAdminStore } from './store';
import { usePermissions } from './usePermissions';

const screens: Record<AdminSectionId, (props: { canManage: boolean }) => React.JSX.Element> = {
  operators: OperatorsSection,
  groups: GroupsSection,
  security: SecuritySection,
  privacy: PrivacySection,
  sessions: SessionsSection,
  audit: AuditSection,
};

/** Administration: a list of the screens this role may see, and the chosen screen. */
export function AdminArea() {
  const { t } = useTranslation();
  const permissions = usePermissions();
  const sections = visibleSections(permissions);
  const chosen = useAdminStore((store) => store.section);
  const choose = useAdminStore((store) => store.choose);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const current = sections.find((section) => section.id === chosen) ?? sections[0];

  useEffect(() => {
    if (current && current.id !== chosen) choose(current.id);
  }, [current, chosen, choose]);

  if (!current) return null;
  const Screen = screens[current.id];

  // Arrow keys move between the screens, as in any tab list.
  function onKeyDown(event: KeyboardEvent) {
    const index = sections.findIndex((section) => section.id === current?.id);
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = sections[(index + step + sections.length) % sections.length];
    if (!next) return;
    choose(next.id);
    tabs.current[sections.indexOf(next)]?.focus();
  }

  return (
    <main className="admin-area">
      <nav className="admin-nav" aria-label={t('admin.title')}>
        <div role="tablist" aria-orientation="vertical" onKeyDown={onKeyDown}>
          {sections.map((section, index) => (
            <button
              key={section.id}
              ref={(element) => {
                tabs.current[index] = element;
              }}
              type="button"
              role="tab"
              id={`admin-tab-${section.id}`}
              aria-selected={section.id === current.id}
              aria-controls="admin-panel"
              tabIndex={section.id === current.id ? 0 : -1}
              onClick={() => choose(section.id)}
            >
              {t(`admin.nav.${section.id}`)}
            </button>
          ))}
        </div>
      </nav>
      <div
        id="admin-panel"
        role="tabpanel"
        aria-labelledby={`admin-tab-${current.id}`}
        className="admin-panel"
      >
        <Screen canManage={permissions.includes(current.manage)} />
      </div>
    </main>
  );
}
