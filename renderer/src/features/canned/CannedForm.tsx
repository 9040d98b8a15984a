import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CannedResponse } from '../../../../protocol/operator-socket';
import { Checkbox } from '../../ui/Checkbox';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { TextAreaField } from '../../ui/TextAreaField';
import { useAction } from '../../ui/useAction';
import { useCannedStore } from './store';

interface CannedFormProps {
  /** Undefined: a new response. */
  response: CannedResponse | undefined;
  canManageShared: boolean;
  onDone(saved: CannedResponse | undefined): void;
}

/** Creates or edits one canned response; ones the operator may not change are shown read-only. */
export function CannedForm({ response, canManageShared, onDone }: CannedFormProps) {
  const { t } = useTranslation();
  const { save, remove } = useCannedStore();
  const [shortcut, setShortcut] = useState(response?.shortcut ?? '');
  const [title, setTitle] = useState(response?.title ?? '');
  const [text, setText] = useState(response?.text ?? '');
  const [shared, setShared] = useState(response?.shared ?? false);
  const { busy, error, run } = useAction();
  const readOnly = response !== undefined && !response.editable;

  function submit() {
    const draft = { shortcut, title, text, shared };
    void run(async () => onDone(await save(response ? { ...draft, id: response.id } : draft)));
  }

  function onDelete() {
    if (!response || !window.confirm(t('canned.deleteConfirm', { shortcut: response.shortcut }))) return;
    void run(async () => {
      await remove(response.id);
      onDone(undefined);
    });
  }

  return (
    <form
      className="form canned-form"
      aria-label={response ? t('canned.editLabel', { shortcut: response.shortcut }) : t('canned.new')}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {readOnly ? <p className="hint">{t('canned.readOnly')}</p> : null}
      <Field
        label={t('canned.shortcut')}
        hint={t('canned.shortcutHint')}
        value={shortcut}
        readOnly={readOnly}
        required
        maxLength={32}
        pattern="[a-z0-9][a-z0-9_\-]{0,31}"
        onChange={(event) => setShortcut(event.target.value.toLowerCase())}
      />
      <Field
        label={t('canned.titleField')}
        value={title}
        readOnly={readOnly}
        required
        maxLength={100}
        onChange={(event) => setTitle(event.target.value)}
      />
      <TextAreaField
        label={t('canned.text')}
        value={text}
        readOnly={readOnly}
        required
        rows={5}
        maxLength={5000}
        onChange={(event) => setText(event.target.value)}
      />
      {canManageShared && !readOnly ? (
        <Checkbox label={t('canned.sharedField')} checked={shared} onChange={setShared} />
      ) : null}
      <ErrorMessage error={error} />
      {readOnly ? null : (
        <div className="actions">
          {response ? (
            <button type="button" className="quiet danger" disabled={busy} onClick={onDelete}>
              {t('canned.delete')}
            </button>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>
            {t('canned.save')}
          </button>
        </div>
      )}
    </form>
  );
}
