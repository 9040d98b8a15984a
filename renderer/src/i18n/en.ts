export const en = {
  app: {
    name: 'Parley',
    loading: 'Starting Parley…',
    unavailable: 'Parley could not reach its desktop core: {{message}}',
  },
  settings: {
    label: 'Appearance and language',
    language: 'Language',
    theme: 'Theme',
    languages: { system: 'System default', en: 'English', de: 'Deutsch' },
    themes: { system: 'System default', light: 'Light', dark: 'Dark' },
  },
  connect: {
    title: 'Welcome to Parley',
    lead: 'Live chat for support teams that keeps visitors’ personal data safe.',
    choices: 'How do you want to start?',
    server: 'Connect to a Parley server',
    serverHint: 'Sign in to your team’s server with your password and two-factor code.',
    local: 'Start a local workspace',
    localHint: 'Run Parley on this computer only, to try it out or for a small team.',
  },
};

export type Messages = typeof en;
