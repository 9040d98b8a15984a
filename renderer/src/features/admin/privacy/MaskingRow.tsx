import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maskModes, type MaskingRules, type MaskMode } from '../../../../../protocol/masking';
import type { AdminGroup } from '../../../../../protocol/operator-socket';
import { prechatFieldNames, type PrechatFieldName } from '../../../../../protocol/visitor-socket';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { Select } from '../../../ui/Select';
import { StaleEditNotice } from '../../../ui/StaleEditNotice';
import { useVersionedSave } from '../../../ui/useVersionedSave';
import { useGroupsStore } from '../groups/store';

const k = 'admin.privacy.masking';

const sameRules = (a: MaskingRules, b: MaskingRules) =>
  prechatFieldNames.every((field) => a[field] === b[field]);

/** The group's label of its custom field in the operator's language, else the other one. */
export function customLabelOf(group: AdminGroup, language: string): string {
  const labels = group.prechatFields.customLabel;
  const first = language.startsWith('de') ? labels.de : labels.en;
  return (first || labels.en || labels.de || '').trim();
}

/** An edit in progress, against the group as it was when the first choice changed. */
interface Edit {
  base: AdminGroup;
  rules: MaskingRules;
}

/**
 * One group's rules: a choice per field, saved on their own against the version they were made
 * against. Someone else's save in between keeps the choices and offers the saved rules instead.
 */
export function MaskingRow(props: {
  group: AdminGroup;
  canManage: boolean;
  columns: number;
  onSaved(group: AdminGroup): void;
}) {
  const { t, i18n } = useTranslation();
  const { group } = props;
  const { update, latest, load } = useGroupsStore();
  // Only while something differs from `base`: an untouched row follows the list as it reloads.
  const [edit, setEdit] = useState<Edit | undefined>(undefined);
  const base = edit?.base ?? group;
  const rules = edit?.rules ?? group.masking;
  const fetchLatest = useCallback(() => latest(group.id), [latest, group.id]);
  const row = useRef<HTMLTableRowElement>(null);
  const problem = useRef<HTMLTableRowElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  // Save and the conflict notice leave once done: focus goes back to the row, not to the page.
  const focusRow = () => row.current?.querySelector('select')?.focus();
  const { busy, error, newer, save, forgetNewer } = useVersionedSave<AdminGroup>(base.version, fetchLatest);

  const modeOptions = maskModes.map((mode) => ({ value: mode, label: t(`${k}.modes.${mode}`) }));
  const customLabel = customLabelOf(group, i18n.language);
  const fieldLabel = (field: PrechatFieldName) =>
    field === 'custom' ? customLabel || t(`${k}.custom`) : t(`${k}.fields.${field}`);

  function choose(field: PrechatFieldName, mode: MaskMode) {
    const next = { ...rules, [field]: mode };
    setEdit(sameRules(next, base.masking) ? undefined : { base, rules: next });
  }

  function submit() {
    if (!edit) return;
    const masking = edit.rules;
    void save(async () => {
      const saved = await update({ groupId: group.id, version: edit.base.version, masking });
      // A choice changed while the save was under way stays, now against the saved version.
      setEdit((current) =>
        current && !sameRules(current.rules, masking) ? { base: saved, rules: current.rules } : undefined,
      );
      props.onSaved(saved);
      if (document.activeElement === saveButton.current) focusRow();
    });
  }

  async function reload() {
    const hadFocus = problem.current?.contains(document.activeElement) === true;
    await load();
    setEdit(undefined);
    forgetNewer();
    if (hadFocus) focusRow();
  }

  return (
    <>
      <tr ref={row} className={edit ? 'masking-changed' : undefined}>
        <th scope="row" className="masking-group">
          {group.name}
        </th>
        {prechatFieldNames.map((field) => (
          <td key={field} className={`masking-cell masking-${rules[field]}`}>
            {field === 'custom' && customLabel ? (
              <span className="masking-custom-label" aria-hidden="true">
                {customLabel}
              </span>
            ) : null}
            <Select
              labelHidden
              label={t(`${k}.cellLabel`, { field: fieldLabel(field), group: group.name })}
              value={rules[field]}
              options={modeOptions}
              disabled={!props.canManage}
              onChange={(mode) => choose(field, mode)}
            />
          </td>
        ))}
        {props.canManage ? (
          <td className="row-actions">
            {edit ? (
              <button
                ref={saveButton}
                type="button"
                className="primary small"
                aria-label={t(`${k}.saveLabel`, { group: group.name })}
                disabled={busy || newer !== undefined}
                onClick={submit}
              >
                {t(`${k}.save`)}
              </button>
            ) : null}
          </td>
        ) : null}
      </tr>
      {newer || error ? (
        <tr ref={problem} className="masking-problem">
          <td colSpan={props.columns}>
            {newer ? (
              <StaleEditNotice
                message={t(`${k}.conflict.title`, { group: group.name })}
                reloadLabel={t(`${k}.conflict.reload`)}
                reloadHint={t(`${k}.conflict.reloadHint`)}
                onReload={() => void reload()}
              />
            ) : (
              <ErrorMessage error={error} />
            )}
          </td>
        </tr>
      ) : null}
    </>
  );
}
