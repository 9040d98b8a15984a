import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonData } from '../../../../../protocol/operator-socket';
import { DoneNotice } from '../../../ui/DoneNotice';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { useAction } from '../../../ui/useAction';
import { ValidatedField } from '../../../ui/ValidatedField';
import { EraseDialog } from './EraseDialog';
import { saveFile } from '../../../ui/saveFile';
import { personArchive, personArchiveName } from './personArchive';
import {
  eraseArgs,
  recordIds,
  queryBounds,
  queryIsValid,
  selectAll,
  tickedCount,
  ticked,
  withTicked,
  type RecordKind,
  type Selection,
} from './erasure';
import { PersonResults } from './PersonResults';

interface Results {
  query: string;
  found: PersonData;
  selection: Selection;
}

const nothingIn = (found: PersonData) =>
  found.visitors.length + found.chats.length + found.tickets.length === 0;

/**
 * The right to be forgotten: find what the server holds about a person, tick what goes, erase it.
 * Results live only here, not in a store, so a person's records leave the screen with the tab.
 */
export function ErasurePanel() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [tried, setTried] = useState(false);
  const [results, setResults] = useState<Results | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | undefined>(undefined);
  const search = useAction();
  const exporting = useAction();
  const queryFrame = useRef<HTMLDivElement>(null);
  const k = 'admin.privacy.erasure';

  // After an erasure the results are gone, and with them the button that opened the dialog:
  // the search field is where the next request starts.
  useEffect(() => {
    if (done && !confirming) queryFrame.current?.querySelector('input')?.focus();
  }, [done, confirming]);

  function find(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (!queryIsValid(query)) {
      queryFrame.current?.querySelector('input')?.focus();
      return;
    }
    const asked = query.trim();
    setResults(undefined);
    setDone(undefined);
    void search.run(async () => {
      const found = await window.parley.privacy.search({ query: asked });
      setResults({ query: asked, found, selection: selectAll(found) });
    });
  }

  function tick(kind: RecordKind, ids: string[], on: boolean) {
    setResults(
      (current) => current && { ...current, selection: withTicked(current.selection, kind, ids, on) },
    );
  }

  /** Access and portability: the ticked records as one archive, built here from the server's document. */
  function exportTicked() {
    if (!results) return;
    setDone(undefined);
    void exporting.run(async () => {
      const exported = await window.parley.privacy.export(
        recordIds(ticked(results.found, results.selection)),
      );
      const file = personArchiveName(new Date());
      saveFile(file, personArchive(exported), 'application/zip');
      setDone(t(`${k}.exported`, { file }));
    });
  }

  async function erase(reason: string) {
    if (!results) return;
    const erased = await window.parley.privacy.erase(
      eraseArgs(ticked(results.found, results.selection), reason),
    );
    // The person is gone: their email or name should not stay on screen either.
    setResults(undefined);
    setQuery('');
    setTried(false);
    setDone(
      t(`${k}.done`, {
        chats: t(`${k}.counts.chats`, { count: erased.chats }),
        tickets: t(`${k}.counts.tickets`, { count: erased.tickets }),
        visitors: t(`${k}.counts.visitors`, { count: erased.visitors }),
        consents: t(`${k}.counts.consents`, { count: erased.consents }),
      }),
    );
  }

  const total = results
    ? results.found.visitors.length + results.found.chats.length + results.found.tickets.length
    : 0;
  const count = results ? tickedCount(results.selection) : 0;

  return (
    <section className="erasure" aria-labelledby="erasure-title">
      <header>
        <h3 id="erasure-title">{t(`${k}.title`)}</h3>
        <p className="hint">{t(`${k}.lead`)}</p>
      </header>
      <form
        className="erasure-search"
        onSubmit={find}
        noValidate
        role="search"
        aria-labelledby="erasure-title"
      >
        <div ref={queryFrame} className="erasure-query">
          <ValidatedField
            label={t(`${k}.query`)}
            hint={t(`${k}.queryHint`)}
            error={tried && !queryIsValid(query) ? t(`${k}.queryInvalid`, queryBounds) : undefined}
            type="search"
            autoComplete="off"
            spellCheck={false}
            maxLength={queryBounds.max}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <button type="submit" className="primary" disabled={search.busy}>
          {t(`${k}.find`)}
        </button>
      </form>
      <ErrorMessage error={search.error ?? exporting.error} />
      <DoneNotice message={done} />
      {search.busy ? (
        <p className="muted" role="status">
          {t(`${k}.searching`)}
        </p>
      ) : null}
      {results && nothingIn(results.found) ? (
        <p className="muted" role="status">
          {t(`${k}.nothingFound`, { query: results.query })}
        </p>
      ) : null}
      {results && !nothingIn(results.found) ? (
        <>
          <h4 className="erasure-results-title">{t(`${k}.resultsFor`, { query: results.query })}</h4>
          <PersonResults found={results.found} selection={results.selection} onTick={tick} />
          <div className="actions erasure-actions">
            <p className="muted" role="status">
              {t(`${k}.selected`, { count, total })}
            </p>
            <button
              type="button"
              className="secondary erasure-export"
              disabled={count === 0 || exporting.busy}
              onClick={exportTicked}
            >
              {t(`${k}.export`)}
            </button>
            <button
              type="button"
              className="primary danger"
              disabled={count === 0}
              onClick={() => setConfirming(true)}
            >
              {t(`${k}.erase`)}
            </button>
          </div>
        </>
      ) : null}
      {confirming && results ? (
        <EraseDialog
          chosen={ticked(results.found, results.selection)}
          onErase={erase}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </section>
  );
}
