import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../protocol/ipc';
import { de } from './de';
import { en } from './en';

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, de: { translation: de } },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes already
  initAsync: false,
});

/** 'system' follows the OS/browser language when it is one we speak, else English. */
export function resolveLanguage(setting: Language | 'system', systemLanguage: string): Language {
  if (setting !== 'system') return setting;
  return systemLanguage.toLowerCase().startsWith('de') ? 'de' : 'en';
}
