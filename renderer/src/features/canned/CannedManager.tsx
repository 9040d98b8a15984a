import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { CannedForm } from './CannedForm';
import { matchCanned, useCannedStore } from './store';

/** Search, create, edit and delete canned responses: my own, and shared ones for those allowed. */
export function CannedManager({ canManageShared, onClose }: { canManageShared: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { responses, error } = useCannedStore();
  const [search, setSearch] = useState('');
  // undefined: nothing chosen; 'new': the empty form; else the id being edited.
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const shown = search.trim() === '' ? responses : matchCanned(responses, search.trim().replace(/^\//, ''));
  const current = responses.find((response) => response.id === editing);

  return (
    <Dialog title={t('canned.title')} onClose={onClose} wide>
      <ErrorMessage error={error} />
      <div className="canned-manager">
        <div className="canned-browse">
          <Field
            label={t('canned.search')}
            type="search"
            value={search}
            data-autofocus
            onChange={(event) => setSearch(event.target.value)}
          />
          <button type="button" className="secondary" onClick={() => setEditing('new')}>
            {t('canned.new')}
          </button>
          <ul className="canned-list" aria-label={t('canned.list')}>
            {shown.map((response) => (
              <li key={response.id}>
                <button
                  type="button"
                  className="canned-item"
                  aria-current={response.id === editing ? 'true' : undefined}
                  onClick={() => setEditing(response.id)}
                >
                  <span className="shortcut">/{response.shortcut}</span>
                  <span className="canned-item-title">{response.title}</span>
                  {response.shared ? <span className="tag">{t('canned.shared')}</span> : null}
                  {response.editable ? null : <span className="tag">{t('canned.readOnlyTag')}</span>}
                </button>
              </li>
            ))}
            {shown.length === 0 ? <li className="muted">{t('canned.noMatches')}</li> : null}
          </ul>
        </div>
        <div className="canned-edit">
          {editing === undefined ? (
            <p className="muted">{t('canned.choose')}</p>
          ) : (
            <CannedForm
              key={editing}
              response={current}
              canManageShared={canManageShared}
              onDone={(saved) => setEditing(saved?.id)}
            />
          )}
        </div>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
