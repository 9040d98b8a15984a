import type { VisitorMessage } from '../../../protocol/visitor-socket';
import { maxMessageLength } from '../contract';
import { el, uid } from './dom';
import type { TextKey, Translate } from './i18n';
import { localTime } from './transcript';

/** One line of the conversation; `delivery` only for the visitor's own messages not yet confirmed. */
export interface Line {
  key: string;
  message: VisitorMessage;
  delivery: 'sending' | 'failed' | 'confirmed';
}

export interface ChatView {
  root: HTMLElement;
  setStatus(text: string): void;
  /** Shows `lines` in order, reusing the nodes already shown so the log announces only what is new. */
  show(lines: Line[], readUpTo: string | null): void;
  setTyping(text: string): void;
  setComposerError(text: string): void;
  /** Replaces the composer with what follows the chat (rating, transcript); the details are final then. */
  end(panel: HTMLElement): void;
  focusComposer(): void;
  /** Back from the details form: focus where the visitor left, and say it was saved. */
  detailsSaved(saved: boolean): void;
}

interface Shown {
  node: HTMLElement;
  state: HTMLElement | null;
  retry: HTMLButtonElement | null;
}

/** Message ids are numeric strings: compared as numbers, "10" comes after "9". */
export function isRead(message: VisitorMessage, readUpTo: string | null): boolean {
  return readUpTo !== null && message.id !== '' && Number(message.id) <= Number(readUpTo);
}

export function chatView(options: {
  t: Translate;
  onSend(text: string): void;
  onInput(text: string): void;
  onRetry(key: string): void;
  onEnd(): void;
  /** Absent where the group does not let visitors change their details. */
  onDetails?: () => void;
  onDelete(): void;
}): ChatView {
  const { t } = options;
  const button = (cls: string, key: TextKey, click: () => void) =>
    el('button', { class: cls, text: t(key), attrs: { type: 'button' }, on: { click } });
  const status = el('p', { class: 'status', attrs: { role: 'status' } });
  const endButton = el('button', {
    class: 'quiet',
    text: t('endChat'),
    attrs: { type: 'button' },
    on: { click: () => options.onEnd() },
  });
  const log = el('div', { class: 'log', attrs: { role: 'log', 'aria-label': t('messages'), tabindex: '0' } });
  const typing = el('p', { class: 'typing', attrs: { 'aria-live': 'polite' } });
  const composerId = uid('composer');
  const errorId = uid('composer-error');
  const input = el('textarea', {
    attrs: { id: composerId, rows: '2', 'aria-describedby': errorId, autocomplete: 'off' },
  });
  const composerError = el('p', { class: 'field-error', attrs: { id: errorId, role: 'alert' } });

  const submit = () => {
    const text = input.value.trim();
    if (text === '') return;
    if (text.length > maxMessageLength) {
      composerError.textContent = t('tooLong', { max: maxMessageLength });
      return;
    }
    composerError.textContent = '';
    input.value = '';
    options.onSend(text);
  };
  input.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter breaks the line; Enter that confirms an IME composition does neither.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => options.onInput(input.value));

  const composer = el(
    'form',
    {
      class: 'composer',
      on: {
        submit: (event) => {
          event.preventDefault();
          submit();
        },
      },
    },
    el('label', { class: 'visually-hidden', text: t('message'), attrs: { for: composerId } }),
    el('div', { class: 'composer-row' }, input, el('button', { class: 'primary', text: t('send') })),
    composerError,
  );
  const bar = el('div', { class: 'chat-bar' }, status, endButton);

  // Deleting asks first, in place of the links; Cancel is focused, so Enter alone deletes nothing.
  const details = options.onDetails && button('link', 'details', options.onDetails);
  const saved = el('span', { attrs: { role: 'status' } });
  const remove = button('link', 'deleteChat', () => {
    tools.replaceWith(confirm);
    keep.focus();
  });
  const tools = el('div', { class: 'chat-tools' }, details, remove, saved);
  const keep = button('secondary', 'cancel', () => {
    confirm.replaceWith(tools);
    remove.focus();
  });
  const questionId = uid('confirm');
  const confirm = el(
    'div',
    { class: 'confirm stack', attrs: { role: 'group', 'aria-labelledby': questionId } },
    el('p', { text: t('deleteConfirm'), attrs: { id: questionId } }),
    el('div', { class: 'actions' }, button('danger', 'deleteYes', options.onDelete), keep),
  );
  const root = el('section', { class: 'chat' }, bar, log, typing, composer, tools);

  const shown = new Map<string, Shown>();

  const render = (line: Line): Shown => {
    const { message } = line;
    const own = message.author === 'visitor';
    const state = own ? el('span', { class: 'delivery' }) : null;
    const retry = own
      ? el('button', {
          class: 'link',
          text: t('sendAgain'),
          attrs: { type: 'button', hidden: true },
          on: { click: () => options.onRetry(line.key) },
        })
      : null;
    const node = el(
      'div',
      { class: `message from-${message.author}` },
      message.author !== 'system' &&
        el(
          'p',
          { class: 'meta' },
          el('span', { class: 'author', text: own ? t('you') : message.name }),
          ' ',
          el('time', {
            text: localTime(new Date(message.createdAt)),
            attrs: { datetime: message.createdAt },
          }),
        ),
      el('p', { class: 'text', text: message.text }),
      state && el('p', { class: 'state' }, state, retry),
    );
    return { node, state, retry };
  };

  return {
    root,
    setStatus: (text) => (status.textContent = text),
    show(lines, readUpTo) {
      const keep = new Set(lines.map((line) => line.key));
      for (const [key, entry] of shown) {
        if (!keep.has(key)) {
          entry.node.remove();
          shown.delete(key);
        }
      }
      const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      let cursor = log.firstChild;
      for (const line of lines) {
        let entry = shown.get(line.key);
        if (!entry) {
          entry = render(line);
          shown.set(line.key, entry);
        }
        if (entry.node === cursor) cursor = cursor.nextSibling;
        else log.insertBefore(entry.node, cursor);
        if (entry.state && entry.retry) {
          const state =
            line.delivery === 'confirmed'
              ? isRead(line.message, readUpTo)
                ? 'read'
                : 'sent'
              : line.delivery;
          entry.state.textContent = t(state === 'failed' ? 'notSent' : state);
          entry.retry.hidden = state !== 'failed';
          entry.node.classList.toggle('failed', state === 'failed');
        }
      }
      if (atBottom) log.scrollTop = log.scrollHeight;
    },
    setTyping: (text) => (typing.textContent = text),
    setComposerError: (text) => (composerError.textContent = text),
    end(panel) {
      // The panel's heading says the chat has ended; the bar would only repeat it.
      composer.replaceWith(panel);
      bar.remove();
      details?.remove();
      typing.textContent = '';
    },
    focusComposer: () => input.focus(),
    detailsSaved(done) {
      saved.textContent = done ? t('detailsSaved') : '';
      // Taken out of the page meanwhile, the log lost its place: the newest messages show again.
      log.scrollTop = log.scrollHeight;
      details?.focus();
    },
  };
}
