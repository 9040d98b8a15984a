import type { PrechatFieldName, VisitorFields, WidgetConfig } from '../../../protocol/visitor-socket';
import { el, uid } from './dom';
import type { TextKey, Translate } from './i18n';

/*
 * The pre-chat form, the offline form and the form to correct one's details during a chat: the
 * group's fields (required, optional or hidden), plus a message for the offline form. Checked here with the same rules as the server's schema, so the
 * visitor sees each problem under its field instead of a refusal after sending.
 */

export interface FormValues {
  fields: VisitorFields;
  message: string;
}

export interface FormView {
  root: HTMLElement;
  focus(): void;
  values(): FormValues;
  /** A problem the server found, shown above the button; the visitor's input stays. */
  showError(text: string): void;
}

const fieldOrder: PrechatFieldName[] = ['name', 'email', 'phone', 'company', 'custom'];
const maxLength: Record<PrechatFieldName | 'message', number> = {
  name: 80,
  email: 200,
  phone: 40,
  company: 120,
  custom: 200,
  message: 5000,
};
const inputAttrs: Record<PrechatFieldName, Record<string, string>> = {
  name: { type: 'text', autocomplete: 'name' },
  email: { type: 'email', autocomplete: 'email', spellcheck: 'false' },
  phone: { type: 'tel', autocomplete: 'tel' },
  company: { type: 'text', autocomplete: 'organization' },
  custom: { type: 'text', autocomplete: 'off' },
};
// The pattern of zod's z.email(), which the server applies.
const emailPattern =
  /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const phonePattern = /^[0-9+()\-./ ]*$/;

function problemWith(name: PrechatFieldName | 'message', value: string, required: boolean): TextKey | null {
  if (value === '') return required ? 'errRequired' : null;
  if (value.length > maxLength[name]) return 'errTooLong';
  if (name === 'email' && !emailPattern.test(value)) return 'errEmail';
  if (name === 'phone' && !phonePattern.test(value)) return 'errPhone';
  return null;
}

interface Control {
  name: PrechatFieldName | 'message';
  input: HTMLInputElement | HTMLTextAreaElement;
  error: HTMLElement;
  required: boolean;
}

function fieldBlock(control: Control, label: string, t: Translate): HTMLElement {
  const { input, error } = control;
  input.id = uid('field');
  error.id = uid('error');
  input.setAttribute('aria-describedby', error.id);
  return el(
    'div',
    { class: 'field' },
    el(
      'label',
      { attrs: { for: input.id } },
      label,
      !control.required && el('span', { class: 'optional', text: ` ${t('optional')}` }),
    ),
    input,
    error,
  );
}

export function formView(options: {
  config: WidgetConfig;
  t: Translate;
  kind: 'prechat' | 'offline' | 'details';
  initial: FormValues;
  onSubmit(values: FormValues): Promise<void>;
  /** Offers a way back without sending (the details form). */
  onCancel?: () => void;
}): FormView {
  const { config, t, kind, initial } = options;
  const labels: Record<PrechatFieldName, string> = {
    name: t('name'),
    email: t('email'),
    phone: t('phone'),
    company: t('company'),
    custom: config.customLabel,
  };
  const controls: Control[] = [];
  for (const name of fieldOrder) {
    // An offline message is answered by email, so the server requires one whatever the chat form asks.
    const mode = kind === 'offline' && name === 'email' ? 'required' : config.fields[name];
    if (mode === 'hidden') continue;
    const input = el('input', { attrs: { ...inputAttrs[name], name, required: mode === 'required' } });
    input.value = initial.fields[name] ?? '';
    controls.push({ name, input, error: el('p', { class: 'field-error' }), required: mode === 'required' });
  }
  if (kind === 'offline') {
    const input = el('textarea', { attrs: { name: 'message', rows: '4', required: true } });
    input.value = initial.message;
    controls.push({ name: 'message', input, error: el('p', { class: 'field-error' }), required: true });
  }

  const formError = el('p', { class: 'form-error', attrs: { role: 'alert' } });
  const submit = el('button', {
    class: 'primary',
    text: t(kind === 'prechat' ? 'startChat' : kind === 'offline' ? 'sendMessage' : 'save'),
  });
  const cancel =
    options.onCancel &&
    el('button', {
      class: 'secondary',
      text: t('cancel'),
      attrs: { type: 'button' },
      on: { click: options.onCancel },
    });

  const setProblem = (control: Control, key: TextKey | null) => {
    control.error.textContent = key ? t(key, { max: maxLength[control.name] }) : '';
    if (key) control.input.setAttribute('aria-invalid', 'true');
    else control.input.removeAttribute('aria-invalid');
  };
  const check = (control: Control) => {
    const key = problemWith(control.name, control.input.value.trim(), control.required);
    setProblem(control, key);
    return key === null;
  };
  for (const control of controls) {
    // Once marked, a field is re-checked as the visitor types, so the mark goes as soon as it is fixed.
    control.input.addEventListener('input', () => {
      if (control.input.hasAttribute('aria-invalid')) check(control);
    });
  }

  const values = (): FormValues => {
    const fields: VisitorFields = {};
    let message = '';
    for (const control of controls) {
      const value = control.input.value.trim();
      if (control.name === 'message') message = value;
      else if (value !== '') fields[control.name] = value;
    }
    return { fields, message };
  };

  const form = el(
    'form',
    {
      class: 'stack',
      attrs: { novalidate: true },
      on: {
        submit: (event) => {
          event.preventDefault();
          formError.textContent = '';
          const invalid = controls.filter((control) => !check(control));
          if (invalid.length > 0) {
            formError.textContent = t('formErrors');
            invalid[0]?.input.focus();
            return;
          }
          submit.disabled = true;
          options.onSubmit(values()).finally(() => (submit.disabled = false));
        },
      },
    },
    kind === 'details'
      ? el('h2', { text: t('details') })
      : el('p', { class: 'intro', text: t(kind === 'prechat' ? 'prechatIntro' : 'offlineIntro') }),
    ...controls.map((control) =>
      fieldBlock(control, control.name === 'message' ? t('message') : labels[control.name], t),
    ),
    formError,
    cancel ? el('div', { class: 'actions' }, submit, cancel) : submit,
  );

  return {
    root: form,
    focus: () => (controls[0]?.input ?? submit).focus(),
    values,
    showError: (text) => (formError.textContent = text),
  };
}
