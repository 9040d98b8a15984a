import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maskValue } from '../../../../../protocol/masking';
import { prechatFieldNames } from '../../../../../protocol/visitor-socket';
import { DoneNotice } from '../../../ui/DoneNotice';
import { LoadFailure } from '../../../ui/LoadFailure';
import { useGroupsStore } from '../groups/store';
import { MaskingRow } from './MaskingRow';
import '../masking.css';

const k = 'admin.privacy.masking';

/**
 * Per group and visitor field, what operators see: a dense table of choices, each row saved on its
 * own. The headings show what "Partly" makes of a made-up value, computed as the server computes it.
 */
export function MaskingRules({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { groups, loaded, error, load } = useGroupsStore();
  const [done, setDone] = useState<string | undefined>(undefined);
  // Group name, the fields, and Save when the role may change anything.
  const columns = 1 + prechatFieldNames.length + (canManage ? 1 : 0);

  useEffect(() => {
    void useGroupsStore.getState().open();
  }, []);

  function body() {
    if (error) {
      return (
        <LoadFailure
          message={t(`${k}.loadFailed`, { message: error.message })}
          retryLabel={t('admin.privacy.retry')}
          onRetry={() => void load()}
        />
      );
    }
    if (!loaded) return <p className="muted">{t('app.loadingShort')}</p>;
    if (groups.length === 0) return <p className="muted">{t(`${k}.none`)}</p>;
    return (
      <table className="admin-table masking-table" aria-label={t(`${k}.tableLabel`)}>
        <thead>
          <tr>
            <th scope="col">
              {t(`${k}.group`)}
              {/* Names the line of examples for the eye; each example carries it for screen readers. */}
              <span className="masking-example" aria-hidden="true">
                {t(`${k}.examplePrefix`)}
              </span>
            </th>
            {prechatFieldNames.map((field) => (
              <th key={field} scope="col">
                {t(`${k}.fields.${field}`)}{' '}
                <span className="masking-example">
                  <span className="visually-hidden">{t(`${k}.examplePrefix`)}</span>{' '}
                  {maskValue(field, t(`${k}.samples.${field}`), 'partial')}
                </span>
              </th>
            ))}
            {canManage ? (
              <th scope="col" className="row-actions">
                <span className="visually-hidden">{t(`${k}.actions`)}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <MaskingRow
              key={group.id}
              group={group}
              canManage={canManage}
              columns={columns}
              onSaved={(saved) => setDone(t(`${k}.saved`, { group: saved.name }))}
            />
          ))}
        </tbody>
      </table>
    );
  }

  return (
    <section className="masking" aria-labelledby="masking-title">
      <header>
        <h3 id="masking-title">{t(`${k}.title`)}</h3>
        <p className="hint">{t(`${k}.lead`)}</p>
      </header>
      <DoneNotice message={done} />
      {body()}
    </section>
  );
}
