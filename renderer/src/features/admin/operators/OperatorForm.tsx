import { useTranslation } from 'react-i18next';
import type { AdminGroup } from '../../../../../protocol/operator-socket';
import { roles, type Role } from '../../../../../protocol/roles';
import { Checkbox } from '../../../ui/Checkbox';
import { FieldFrame } from '../../../ui/FieldFrame';
import { ValidatedField } from '../../../ui/ValidatedField';
import { maxChatsBounds, type OperatorDraft, type Problem, type Problems } from './operatorDraft';

interface OperatorFormProps {
  draft: OperatorDraft;
  onChange(patch: Partial<OperatorDraft>): void;
  problems: Problems;
  /** A new operator: the username is asked for and the limit may stay empty. */
  creating: boolean;
  groups: AdminGroup[];
}

/** The fields of a new or an existing operator; the dialog around it owns the draft and the saving. */
export function OperatorForm({ draft, onChange, problems, creating, groups }: OperatorFormProps) {
  const { t } = useTranslation();
  const problem = (found: Problem | undefined) =>
    found ? t(`admin.operators.invalid.${found.key}`, found.values ?? {}) : undefined;
  // Archived groups take no chats: offered only to keep an operator who is still in one there.
  const choices = groups.filter((group) => !group.archived || draft.groupIds.includes(group.id));

  function toggleGroup(groupId: string, member: boolean) {
    onChange({
      groupIds: member ? [...draft.groupIds, groupId] : draft.groupIds.filter((id) => id !== groupId),
    });
  }

  return (
    <>
      {creating ? (
        <ValidatedField
          label={t('admin.operators.form.username')}
          hint={t('admin.operators.form.usernameHint')}
          error={problem(problems.username)}
          value={draft.username}
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          data-autofocus
          onChange={(event) => onChange({ username: event.target.value })}
        />
      ) : (
        <p className="muted">{t('admin.operators.form.usernameFixed', { username: draft.username })}</p>
      )}
      <ValidatedField
        label={t('admin.operators.form.displayName')}
        hint={t('admin.operators.form.displayNameHint')}
        error={problem(problems.displayName)}
        value={draft.displayName}
        maxLength={80}
        data-autofocus={creating ? undefined : true}
        onChange={(event) => onChange({ displayName: event.target.value })}
      />
      <FieldFrame
        label={t('admin.operators.form.role')}
        hint={t('admin.operators.form.roleHint')}
        control={(control) => (
          <select
            {...control}
            value={draft.role}
            onChange={(event) => onChange({ role: event.target.value as Role })}
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {t(`admin.operators.roles.${role}`)}
              </option>
            ))}
          </select>
        )}
      />
      <fieldset className="operator-groups">
        <legend>{t('admin.operators.form.groups')}</legend>
        <p className="hint">{t('admin.operators.form.groupsHint')}</p>
        {choices.length === 0 ? <p className="muted">{t('admin.operators.form.noGroupsYet')}</p> : null}
        {choices.map((group) => (
          <Checkbox
            key={group.id}
            label={group.archived ? t('admin.operators.archivedGroup', { name: group.name }) : group.name}
            checked={draft.groupIds.includes(group.id)}
            onChange={(member) => toggleGroup(group.id, member)}
          />
        ))}
      </fieldset>
      <ValidatedField
        label={t('admin.operators.form.maxChats')}
        hint={t(
          creating ? 'admin.operators.form.maxChatsCreateHint' : 'admin.operators.form.maxChatsEditHint',
          maxChatsBounds,
        )}
        error={problem(problems.maxChats)}
        type="number"
        inputMode="numeric"
        min={maxChatsBounds.min}
        max={maxChatsBounds.max}
        step={1}
        value={draft.maxChats}
        className="operator-max-chats"
        onChange={(event) => onChange({ maxChats: event.target.value })}
      />
    </>
  );
}
