const en = {
  title: 'Administration',
  readOnly: 'Read-only: your role may look, but not change anything here.',
  nav: {
    operators: 'Operators',
    groups: 'Groups',
    security: 'Security',
    privacy: 'Privacy',
    sessions: 'Sessions',
    audit: 'Audit log',
  },
};

const de: typeof en = {
  title: 'Verwaltung',
  readOnly: 'Nur lesen: Ihre Rolle darf hier ansehen, aber nichts ändern.',
  nav: {
    operators: 'Mitarbeitende',
    groups: 'Gruppen',
    security: 'Sicherheit',
    privacy: 'Datenschutz',
    sessions: 'Sitzungen',
    audit: 'Protokoll',
  },
};

export const adminCommonMessages = { en, de };
