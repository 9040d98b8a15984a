import { useTranslation } from 'react-i18next';
import { formatDuration } from '../../ui/duration';

export type WaitLevel = 'calm' | 'long' | 'veryLong';

/** Past a minute a visitor starts to wonder; past three they start to leave. */
export function waitLevel(milliseconds: number): WaitLevel {
  if (milliseconds >= 180_000) return 'veryLong';
  if (milliseconds >= 60_000) return 'long';
  return 'calm';
}

// A shape as well as a colour, for operators who cannot tell amber from red.
const marks: Record<WaitLevel, string> = { calm: '', long: '!', veryLong: '!!' };

/** How long a visitor has waited, coloured and marked by how urgent that is. */
export function WaitTime({ since, now }: { since: string; now: number }) {
  const { t } = useTranslation();
  const waited = now - Date.parse(since);
  const level = waitLevel(waited);
  const label = t(`queue.wait.${level}`);
  return (
    <span className={`wait wait-${level}`} title={label}>
      {marks[level] ? (
        <span className="wait-mark" aria-hidden="true">
          {marks[level]}
        </span>
      ) : null}
      <span className="visually-hidden">{t('queue.waited')} </span>
      {formatDuration(waited)}
      {level === 'calm' ? null : <span className="visually-hidden">, {label}</span>}
    </span>
  );
}
