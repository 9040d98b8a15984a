const en = {
  loadFailed: 'The privacy settings could not be loaded: {{message}}',
  retry: 'Try again',
  retention: {
    title: 'Retention',
    lead: 'Parley deletes personal data once it is older than these periods: every hour, in small batches, and records what it deleted in the audit log.',
    periods: {
      chatsDays: 'Chats and messages (days)',
      ticketsDays: 'Closed tickets (days)',
      visitorsDays: 'Visitor records (days)',
      consentsDays: 'Consent records (days)',
      auditDays: 'Audit log (days)',
    },
    hints: {
      chatsDays: 'Counted from the end of the chat. {{min}}–{{max}}.',
      ticketsDays: 'Counted from when the ticket was opened; open tickets stay. {{min}}–{{max}}.',
      visitorsDays:
        'Counted from the visitor’s last visit; their consent records go with them. {{min}}–{{max}}.',
      consentsDays: 'Counted from when the consent was given. {{min}}–{{max}}.',
      auditDays: 'Counted from the entry’s time. {{min}}–{{max}}.',
    },
    invalid: 'Enter a whole number of days from {{min}} to {{max}}.',
    save: 'Save retention',
    saved: 'Saved.',
  },
};

const de: typeof en = {
  loadFailed: 'Die Datenschutz-Einstellungen konnten nicht geladen werden: {{message}}',
  retry: 'Erneut versuchen',
  retention: {
    title: 'Aufbewahrung',
    lead: 'Parley löscht personenbezogene Daten, sobald sie älter sind als diese Fristen: stündlich, in kleinen Portionen, und vermerkt im Protokoll, was gelöscht wurde.',
    periods: {
      chatsDays: 'Chats und Nachrichten (Tage)',
      ticketsDays: 'Geschlossene Tickets (Tage)',
      visitorsDays: 'Besucherdaten (Tage)',
      consentsDays: 'Einwilligungen (Tage)',
      auditDays: 'Protokoll (Tage)',
    },
    hints: {
      chatsDays: 'Ab dem Ende des Chats. {{min}}–{{max}}.',
      ticketsDays: 'Ab der Eröffnung des Tickets; offene Tickets bleiben. {{min}}–{{max}}.',
      visitorsDays: 'Ab dem letzten Besuch; die Einwilligungen der Person gehen mit. {{min}}–{{max}}.',
      consentsDays: 'Ab der Erteilung der Einwilligung. {{min}}–{{max}}.',
      auditDays: 'Ab dem Zeitpunkt des Eintrags. {{min}}–{{max}}.',
    },
    invalid: 'Geben Sie eine ganze Zahl von Tagen von {{min}} bis {{max}} ein.',
    save: 'Aufbewahrung speichern',
    saved: 'Gespeichert.',
  },
};

export const privacyMessages = { en, de };
