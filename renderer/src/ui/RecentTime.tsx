import { useTranslation } from 'react-i18next';
import { formatDateTime, formatRecent } from './dateTime';
import { useNow } from './useNow';

/** A past moment as people say it ("2 hours ago"), with the exact date and time on hover. */
export function RecentTime({ at }: { at: string }) {
  const { i18n } = useTranslation();
  const now = useNow(60_000);
  return (
    <time dateTime={at} title={formatDateTime(at, i18n.language)}>
      {formatRecent(at, now, i18n.language)}
    </time>
  );
}
