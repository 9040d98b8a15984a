import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisitorInfo } from '../../../../protocol/operator-socket';
import { prechatFieldNames, type PrechatFieldName } from '../../../../protocol/visitor-socket';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { MaskedValue } from './MaskedValue';
import { RevealDialog } from './RevealDialog';
import { useRevealStore } from './reveal-store';
import { useVisitorStore } from './store';

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([term, value]) => (
        <div key={term} className="fact">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Rating({ rating }: { rating: number }) {
  const { t } = useTranslation();
  return (
    <span className="rating">
      <span aria-hidden="true">{'★'.repeat(rating) + '☆'.repeat(Math.max(0, 5 - rating))}</span>{' '}
      {t('visitor.ratingValue', { rating })}
    </span>
  );
}

/**
 * Everything the server tells this operator about the visitor, as the server sent it: masking
 * happens there, and a masked field says so. All of it is shown as text; the page address is not a
 * link, so nothing the visitor controls opens from here.
 */
function VisitorDetails({ info }: { info: VisitorInfo }) {
  const { t, i18n } = useTranslation();
  const [revealing, setRevealing] = useState<PrechatFieldName | undefined>(undefined);
  const when = (iso: string) =>
    new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const { fields } = info;
  const label = (field: PrechatFieldName) =>
    field === 'custom' ? info.customLabel || t('visitor.custom') : t(`visitor.${field}`);
  // "Reveal email": the custom field has no common noun, so its label stands in.
  const fieldName = (field: PrechatFieldName) =>
    field === 'custom' ? label(field) : t(`visitor.fieldNames.${field}`);

  // A masked field is listed even when hidden: it holds a value, which a reveal can show.
  const given: [string, ReactNode][] = [
    ...prechatFieldNames.map((field): [string, ReactNode] => [
      label(field),
      info.maskedFields.includes(field) ? (
        <MaskedValue
          chatId={info.chatId}
          field={field}
          shown={fields[field]}
          fieldName={fieldName(field)}
          onReveal={() => setRevealing(field)}
        />
      ) : (
        fields[field]
      ),
    ]),
    [t('visitor.page'), info.pageUrl],
    [t('visitor.address'), info.address],
  ];
  const rows = given.filter((row) => row[1] !== null);

  return (
    <>
      {rows.length > 0 ? <Facts rows={rows} /> : <p className="muted">{t('visitor.nothingGiven')}</p>}
      {revealing ? (
        <RevealDialog
          fieldName={fieldName(revealing)}
          onReveal={(reason) => useRevealStore.getState().reveal(info.chatId, revealing, reason)}
          onClose={() => setRevealing(undefined)}
        />
      ) : null}
      {info.rating ? (
        <section aria-labelledby="visitor-rating">
          <h3 id="visitor-rating">{t('visitor.rating')}</h3>
          <p className="visitor-rating">
            <Rating rating={info.rating.rating} />
            {info.rating.comment ? <span className="comment">“{info.rating.comment}”</span> : null}
          </p>
        </section>
      ) : null}
      <section aria-labelledby="visitor-consent">
        <h3 id="visitor-consent">{t('visitor.consent')}</h3>
        {info.consent ? (
          <Facts
            rows={[
              [t('visitor.noticeVersion'), info.consent.noticeVersion],
              [t('visitor.consentLanguage'), info.consent.language],
              [t('visitor.consentGiven'), when(info.consent.givenAt)],
            ]}
          />
        ) : (
          <p className="muted">{t('visitor.noConsent')}</p>
        )}
      </section>
      <section aria-labelledby="visitor-history">
        <h3 id="visitor-history">{t('visitor.previous', { count: info.previousChats.length })}</h3>
        {info.previousChats.length === 0 ? (
          <p className="muted">{t('visitor.firstChat')}</p>
        ) : (
          <ol className="history">
            {info.previousChats.map((previous) => (
              <li key={previous.id}>
                <span>{when(previous.createdAt)}</span>
                <span className="muted">
                  {[
                    previous.outcome ? t(`visitor.outcomes.${previous.outcome}`) : undefined,
                    t('visitor.messages', { count: previous.messageCount }),
                  ]
                    .filter((part) => part !== undefined)
                    .join(' · ')}
                </span>
                {previous.rating !== null ? <Rating rating={previous.rating} /> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

/** The side panel about the selected chat's visitor, fetched again whenever the chat changes. */
export function VisitorPanel({ chatId }: { chatId: string | undefined }) {
  const { t } = useTranslation();
  const { info, error, load } = useVisitorStore();
  useEffect(() => {
    if (chatId) void load(chatId);
  }, [chatId, load]);
  // A revealed value belongs to the chat it was revealed in: switching chats, or leaving the
  // workspace (administration, sign-out, lock), forgets it.
  useEffect(() => {
    useRevealStore.getState().showChat(chatId);
    return () => useRevealStore.getState().forget();
  }, [chatId]);

  return (
    <aside className="visitor-panel" aria-labelledby="visitor-title">
      <div className="column-head">
        <h2 id="visitor-title">{t('visitor.title')}</h2>
      </div>
      {chatId === undefined ? <p className="muted">{t('visitor.noChat')}</p> : null}
      <ErrorMessage error={error} />
      {chatId !== undefined && info?.chatId === chatId ? <VisitorDetails key={chatId} info={info} /> : null}
      {chatId !== undefined && !info && !error ? <p className="muted">{t('app.loadingShort')}</p> : null}
    </aside>
  );
}
