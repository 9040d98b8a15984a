import { useTranslation } from 'react-i18next';
import type { PrechatFieldName } from '../../../../protocol/visitor-socket';
import { useCan } from '../admin/usePermissions';
import { useRevealStore } from './reveal-store';
import './reveal.css';

/**
 * A visitor value the group's masking rules shorten or hide, as the server sent it, and for a role
 * that may, the way to reveal it for a while. Revealed, it shows the value until its time is up.
 */
export function MaskedValue(props: {
  chatId: string;
  field: PrechatFieldName;
  /** The masked form; null when the rules hide the value entirely. */
  shown: string | null;
  /** The field as a sentence names it, for "Reveal email". */
  fieldName: string;
  /** Opens the dialog that asks for the reason. */
  onReveal(): void;
}) {
  const { t, i18n } = useTranslation();
  const canReveal = useCan('visitor.reveal');
  const { field, chatId, fieldName } = props;
  const revealed = useRevealStore((store) => (store.chatId === chatId ? store.revealed[field] : undefined));

  const text = revealed ? (
    <span className="masked-text revealed-text">{revealed.value}</span>
  ) : props.shown === null ? (
    <span className="masked-text masked-hidden">{t('visitor.hidden')}</span>
  ) : (
    <span className="masked-text">
      {props.shown} <span className="tag masked-tag">{t('visitor.masked')}</span>
    </span>
  );

  return (
    <span className="masked-value">
      {text}
      {/* One button for both states, so focus stays on it when the dialog closes or time runs out. */}
      {canReveal ? (
        <button
          type="button"
          className="secondary small"
          aria-label={t(revealed ? 'visitor.reveal.hideLabel' : 'visitor.reveal.label', {
            field: fieldName,
          })}
          onClick={() => (revealed ? useRevealStore.getState().hide(field) : props.onReveal())}
        >
          {t(revealed ? 'visitor.reveal.hide' : 'visitor.reveal.button')}
        </button>
      ) : null}
      {revealed ? (
        <span className="hint reveal-until">
          {t('visitor.reveal.until', {
            time: new Date(revealed.until).toLocaleTimeString(i18n.language, {
              hour: 'numeric',
              minute: '2-digit',
            }),
          })}
        </span>
      ) : null}
    </span>
  );
}
