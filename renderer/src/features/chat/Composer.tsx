import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useChatStore } from './store';

/** Enter sends, Shift+Enter starts a new line, as in every chat tool operators already use. */
export function Composer({ visitorName }: { visitorName: string }) {
  const { t } = useTranslation();
  const send = useChatStore((state) => state.send);
  const [text, setText] = useState('');
  const hintId = useId();

  async function submit() {
    if (text.trim() === '') return;
    if (await send(text)) setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
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
      <textarea
        aria-label={t('chat.composer', { name: visitorName })}
        aria-describedby={hintId}
        rows={3}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
        <span id={hintId} className="hint">
          {t('chat.composerHint')}
        </span>
        <button type="submit" className="primary">
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}
