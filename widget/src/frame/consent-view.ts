import type { WidgetConfig } from '../../../protocol/visitor-socket';
import { el, uid } from './dom';
import type { Translate } from './i18n';

export interface ConsentView {
  root: HTMLElement;
  focus(): void;
  /** Back to clickable after a refusal. */
  reset(): void;
}

/**
 * The greeting and the group's privacy notice. Nothing leaves the browser before the visitor
 * accepts: the socket is opened only by `onAccept`.
 */
export function consentView(options: { config: WidgetConfig; t: Translate; onAccept(): void }): ConsentView {
  const { config, t } = options;
  const titleId = uid('notice-title');
  const accept = el('button', {
    class: 'primary',
    text: t('accept'),
    attrs: { type: 'button' },
    on: {
      click: () => {
        accept.disabled = true;
        accept.textContent = t('connecting');
        options.onAccept();
      },
    },
  });
  const root = el(
    'section',
    { class: 'consent stack' },
    el('h2', { class: 'greeting', text: config.greeting }),
    el('p', { class: 'intro', text: t('consentIntro') }),
    el(
      'section',
      { class: 'notice', attrs: { 'aria-labelledby': titleId } },
      el('h3', { text: t('privacyTitle'), attrs: { id: titleId } }),
      // Long notices scroll; tabindex lets keyboard users scroll them too.
      el('div', {
        class: 'notice-text',
        text: config.privacyNotice.text,
        attrs: { tabindex: '0', 'aria-labelledby': titleId },
      }),
      el('p', { class: 'muted', text: t('noticeVersion', { version: config.privacyNotice.version }) }),
    ),
    accept,
  );
  return {
    root,
    focus: () => accept.focus(),
    reset() {
      accept.disabled = false;
      accept.textContent = t('accept');
    },
  };
}
