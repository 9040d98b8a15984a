import { el, uid } from './dom';
import type { Translate } from './i18n';

/** After the chat: a 1–5 rating with an optional comment, the transcript, and a way to start again. */
export function endedView(options: {
  t: Translate;
  rated: boolean;
  onRate(rating: number, comment: string): Promise<boolean>;
  onTranscript(): void;
  onNewChat(): void;
}): { root: HTMLElement; focus(): void } {
  const { t } = options;
  const heading = el('h2', { text: t('ended'), attrs: { tabindex: '-1' } });
  const thanks = el('p', { class: 'thanks', attrs: { role: 'status' } });
  const error = el('p', { class: 'form-error', attrs: { role: 'alert' } });

  const name = uid('rating');
  const stars = [1, 2, 3, 4, 5].map((value) => {
    const input = el('input', { attrs: { type: 'radio', name, value: String(value) } });
    const label = el(
      'label',
      { class: 'star' },
      input,
      el('span', { text: '★', attrs: { 'aria-hidden': 'true' } }),
      el('span', { class: 'visually-hidden', text: value === 1 ? t('star') : t('stars', { n: value }) }),
    );
    return { value, input, label };
  });
  const chosen = () => stars.find((star) => star.input.checked)?.value;
  const light = () => {
    const rating = chosen() ?? 0;
    for (const star of stars) star.label.classList.toggle('on', star.value <= rating);
  };
  const commentId = uid('comment');
  const comment = el('textarea', { attrs: { id: commentId, rows: '2', maxlength: '1000' } });

  const form = el(
    'form',
    {
      class: 'stack rating',
      on: {
        change: light,
        submit: (event) => {
          event.preventDefault();
          const rating = chosen();
          if (rating === undefined) {
            error.textContent = t('chooseRating');
            stars[0]?.input.focus();
            return;
          }
          error.textContent = '';
          submit.disabled = true;
          void options.onRate(rating, comment.value.trim()).then((done) => {
            submit.disabled = false;
            if (!done) return;
            form.remove();
            thanks.textContent = t('ratingThanks');
          });
        },
      },
    },
    el(
      'fieldset',
      {},
      el('legend', { text: t('rateTitle') }),
      el('div', { class: 'stars' }, ...stars.map((star) => star.label)),
    ),
    el('div', { class: 'field' }, el('label', { text: t('comment'), attrs: { for: commentId } }), comment),
    error,
  );
  const submit = el('button', { class: 'primary', text: t('sendRating') });
  form.append(submit);
  if (options.rated) thanks.textContent = t('ratingThanks');

  const root = el(
    'section',
    { class: 'ended stack' },
    heading,
    !options.rated && form,
    thanks,
    el(
      'div',
      { class: 'actions' },
      el('button', {
        class: 'secondary',
        text: t('transcript'),
        attrs: { type: 'button' },
        on: { click: () => options.onTranscript() },
      }),
      el('button', {
        class: 'secondary',
        text: t('newChat'),
        attrs: { type: 'button' },
        on: { click: () => options.onNewChat() },
      }),
    ),
  );
  return { root, focus: () => heading.focus() };
}
