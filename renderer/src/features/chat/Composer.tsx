import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CannedResponse } from '../../../../protocol/operator-socket';
import { CannedSuggestions, suggestionId } from '../canned/CannedSuggestions';
import { expandShortcut, useCannedCompletion, type Edit } from '../canned/useCannedCompletion';
import { useSessionStore } from '../session/store';
import { useChatStore } from './store';
import { useTypingReport } from './useTypingReport';

export const composerId = 'composer';

/**
 * Enter sends, Shift+Enter starts a new line, as in every chat tool operators already use.
 * "/" at the start suggests canned responses; an exact "/shortcut" and a space or Tab expands.
 */
export function Composer({ chatId, visitorName }: { chatId: string; visitorName: string }) {
  const { t } = useTranslation();
  const send = useChatStore((state) => state.send);
  const openDialog = useSessionStore((state) => state.openDialog);
  const [text, setText] = useState('');
  const textarea = useRef<HTMLTextAreaElement>(null);
  const caretAfterEdit = useRef<number | undefined>(undefined);
  const hintId = useId();
  const listId = useId();
  const completion = useCannedCompletion(text);
  const typing = useTypingReport(chatId);

  useLayoutEffect(() => {
    if (caretAfterEdit.current === undefined) return;
    textarea.current?.setSelectionRange(caretAfterEdit.current, caretAfterEdit.current);
    caretAfterEdit.current = undefined;
  }, [text]);

  function edit(next: Edit) {
    caretAfterEdit.current = next.caret;
    setText(next.text);
    typing.typed();
  }

  function insert(response: CannedResponse) {
    edit({ text: response.text, caret: response.text.length });
  }

  async function submit() {
    if (text.trim() === '') return;
    typing.stopped();
    if (await send(text)) setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.nativeEvent.isComposing) return;
    const { key } = event;
    if (completion.open) {
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        event.preventDefault();
        completion.move(key === 'ArrowDown' ? 1 : -1);
        return;
      }
      if ((key === 'Enter' && !event.shiftKey) || (key === 'Tab' && !event.shiftKey)) {
        event.preventDefault();
        if (completion.activeOption) insert(completion.activeOption);
        return;
      }
      if (key === 'Escape') {
        event.preventDefault();
        completion.dismiss();
        return;
      }
    }
    if (key === ' ' || (key === 'Tab' && !event.shiftKey)) {
      const caret = event.currentTarget.selectionStart;
      const expanded = expandShortcut(completion.responses, text, caret, key === ' ' ? ' ' : '');
      if (expanded) {
        event.preventDefault();
        edit(expanded);
        return;
      }
    }
    if (key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {completion.open ? (
        <CannedSuggestions
          id={listId}
          options={completion.options}
          active={completion.active}
          onChoose={completion.choose}
          onInsert={insert}
        />
      ) : null}
      <textarea
        ref={textarea}
        id={composerId}
        aria-label={t('chat.composer', { name: visitorName })}
        aria-describedby={hintId}
        aria-autocomplete="list"
        aria-controls={completion.open ? listId : undefined}
        aria-activedescendant={completion.open ? suggestionId(listId, completion.active) : undefined}
        rows={3}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value === '') typing.stopped();
          else typing.typed();
        }}
        onKeyDown={onKeyDown}
        onBlur={typing.stopped}
      />
      <div className="composer-bar">
        <span id={hintId} className="hint">
          {t('chat.composerHint')}
        </span>
        <button type="button" className="quiet" onClick={() => openDialog('canned')}>
          {t('canned.manage')}
        </button>
        <button type="submit" className="primary">
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}
