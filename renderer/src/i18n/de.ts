import type { Messages } from './en';

export const de: Messages = {
  app: {
    name: 'Parley',
    loading: 'Parley wird gestartet …',
    unavailable: 'Parley erreicht seinen Desktop-Kern nicht: {{message}}',
  },
  settings: {
    label: 'Darstellung und Sprache',
    language: 'Sprache',
    theme: 'Design',
    languages: { system: 'Systemstandard', en: 'English', de: 'Deutsch' },
    themes: { system: 'Systemstandard', light: 'Hell', dark: 'Dunkel' },
  },
  connect: {
    title: 'Willkommen bei Parley',
    lead: 'Live-Chat für Support-Teams, der die personenbezogenen Daten der Besucher schützt.',
    choices: 'Wie möchten Sie beginnen?',
    server: 'Mit einem Parley-Server verbinden',
    serverHint: 'Melden Sie sich mit Passwort und Zwei-Faktor-Code beim Server Ihres Teams an.',
    local: 'Lokalen Arbeitsbereich starten',
    localHint: 'Parley nur auf diesem Computer ausführen – zum Ausprobieren oder für ein kleines Team.',
  },
};
