import { useTranslation } from 'react-i18next';

export function FirstScreen() {
  const { t } = useTranslation();
  return (
    <main className="first-screen" aria-labelledby="first-screen-title">
      <h1 id="first-screen-title">{t('connect.title')}</h1>
      <p className="lead">{t('connect.lead')}</p>
      <section aria-label={t('connect.choices')} className="choices">
        <button type="button" className="choice" aria-describedby="choice-server-hint">
          <span className="choice-title">{t('connect.server')}</span>
          <span id="choice-server-hint" className="choice-hint">
            {t('connect.serverHint')}
          </span>
        </button>
        <button type="button" className="choice" aria-describedby="choice-local-hint">
          <span className="choice-title">{t('connect.local')}</span>
          <span id="choice-local-hint" className="choice-hint">
            {t('connect.localHint')}
          </span>
        </button>
      </section>
    </main>
  );
}
