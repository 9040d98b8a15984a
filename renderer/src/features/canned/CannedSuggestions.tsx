import { useTranslation } from 'react-i18next';
import type { CannedResponse } from '../../../../protocol/operator-socket';

export const suggestionId = (listId: string, index: number) => `${listId}-${index}`;

interface CannedSuggestionsProps {
  id: string;
  options: CannedResponse[];
  active: number;
  onChoose(index: number): void;
  onInsert(response: CannedResponse): void;
}

/** The listbox under "/": focus stays in the composer, which points at the active option. */
export function CannedSuggestions({ id, options, active, onChoose, onInsert }: CannedSuggestionsProps) {
  const { t } = useTranslation();
  return (
    <ul id={id} role="listbox" aria-label={t('canned.suggestions')} className="suggestions">
      {options.map((response, index) => (
        <li
          key={response.id}
          id={suggestionId(id, index)}
          role="option"
          aria-selected={index === active}
          className="suggestion"
          // Keep focus (and the caret) in the composer when the list is clicked.
          onMouseDown={(event) => event.preventDefault()}
          onMouseEnter={() => onChoose(index)}
          onClick={() => onInsert(response)}
        >
          <span className="suggestion-head">
            <span className="shortcut">/{response.shortcut}</span>
            <span className="suggestion-title">{response.title}</span>
            {response.shared ? <span className="tag">{t('canned.shared')}</span> : null}
          </span>
          <span className="suggestion-text">{response.text}</span>
        </li>
      ))}
    </ul>
  );
}
