import { useState } from 'react';
import type { CannedResponse } from '../../../../protocol/operator-socket';
import { findByShortcut, matchCanned, useCannedStore } from './store';

const maxSuggestions = 8;

export interface Edit {
  text: string;
  caret: number;
}

/**
 * Expands an exact "/shortcut" just before the caret (at the start or after a space) into the
 * response's text, followed by `trailing` (the space that triggered it).
 */
export function expandShortcut(
  responses: CannedResponse[],
  text: string,
  caret: number,
  trailing: string,
): Edit | undefined {
  const match = /(?:^|\s)\/([a-z0-9][a-z0-9_-]*)$/.exec(text.slice(0, caret));
  const shortcut = match?.[1];
  if (shortcut === undefined) return undefined;
  const response = findByShortcut(responses, shortcut);
  if (!response) return undefined;
  const start = caret - shortcut.length - 1;
  const inserted = response.text + trailing;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

/**
 * The suggestion list that "/" at the start of the composer opens: filtered as the operator types,
 * ↑/↓ choose, Enter or Tab insert, Esc closes it until the text changes.
 */
export function useCannedCompletion(text: string) {
  const responses = useCannedStore((state) => state.responses);
  const [dismissedFor, setDismissedFor] = useState<string | undefined>(undefined);
  const [cursor, setCursor] = useState({ query: '', index: 0 });

  const query = /^\/(\S*)$/.exec(text)?.[1];
  const options =
    query === undefined || text === dismissedFor
      ? []
      : matchCanned(responses, query).slice(0, maxSuggestions);
  // A new query starts again at the best match.
  const active = cursor.query === query ? Math.min(cursor.index, options.length - 1) : 0;

  return {
    responses,
    options,
    open: options.length > 0,
    active,
    activeOption: options[active],
    move(step: 1 | -1) {
      setCursor({ query: query ?? '', index: (active + step + options.length) % options.length });
    },
    choose(index: number) {
      setCursor({ query: query ?? '', index });
    },
    dismiss() {
      setDismissedFor(text);
    },
  };
}
