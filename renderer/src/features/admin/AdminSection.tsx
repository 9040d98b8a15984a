import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The frame every administration screen shares: its heading, the toolbar (search, filters, the
 * main action), a note when the screen is read-only for this role, and the content.
 */
export function AdminSection(props: {
  title: string;
  readOnly: boolean;
  toolbar?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section className="admin-section" aria-labelledby="admin-section-title">
      <header className="admin-section-header">
        <h2 id="admin-section-title">{props.title}</h2>
        {props.readOnly ? <p className="muted admin-read-only">{t('admin.readOnly')}</p> : null}
      </header>
      {props.toolbar ? <div className="admin-toolbar">{props.toolbar}</div> : null}
      <div className="admin-section-body">{props.children}</div>
    </section>
  );
}
