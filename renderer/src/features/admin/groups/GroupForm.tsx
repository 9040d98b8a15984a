import { useTranslation } from 'react-i18next';
import type { AdminGroup } from '../../../../../protocol/operator-socket';
import { FieldFrame } from '../../../ui/FieldFrame';
import { ValidatedField } from '../../../ui/ValidatedField';
import { BusinessHoursEditor } from './BusinessHoursEditor';
import {
  changesNotice,
  defaultMaxChatsBounds,
  ringTimeoutBounds,
  type GroupDraft,
  type GroupProblems,
  type Problem,
} from './groupDraft';
import { PrechatFieldsEditor } from './PrechatFieldsEditor';
import { PrivacyNoticeEditor } from './PrivacyNoticeEditor';
import { WidgetSettingsEditor } from './WidgetSettingsEditor';

const routingModes: AdminGroup['routingMode'][] = ['automatic', 'manual'];

interface GroupFormProps {
  draft: GroupDraft;
  onChange(patch: Partial<GroupDraft>): void;
  problems: GroupProblems;
  /** The saved group being edited; undefined for a new one. */
  base: AdminGroup | undefined;
}

/** Every setting of a group, in sections; the dialog around it owns the draft and the saving. */
export function GroupForm({ draft, onChange, problems, base }: GroupFormProps) {
  const { t } = useTranslation();
  const problem = (found: Problem | undefined) =>
    found ? t(`admin.groups.invalid.${found.key}`, found.values ?? {}) : undefined;

  return (
    <>
      <fieldset className="group-general">
        <legend>{t('admin.groups.form.general')}</legend>
        <ValidatedField
          label={t('admin.groups.form.name')}
          hint={t('admin.groups.form.nameHint')}
          error={problem(problems.name)}
          value={draft.name}
          maxLength={80}
          data-autofocus
          onChange={(event) => onChange({ name: event.target.value })}
        />
        <FieldFrame
          label={t('admin.groups.form.routingMode')}
          hint={t('admin.groups.form.routingHint')}
          control={(control) => (
            <select
              {...control}
              value={draft.routingMode}
              onChange={(event) =>
                onChange({
                  routingMode: routingModes.find((mode) => mode === event.target.value) ?? 'automatic',
                })
              }
            >
              {routingModes.map((mode) => (
                <option key={mode} value={mode}>
                  {t(`admin.groups.routing.${mode}`)}
                </option>
              ))}
            </select>
          )}
        />
        <div className="group-numbers">
          <ValidatedField
            label={t('admin.groups.form.ringTimeout')}
            hint={t('admin.groups.form.ringTimeoutHint', ringTimeoutBounds)}
            error={problem(problems.ringTimeoutSeconds)}
            type="number"
            inputMode="numeric"
            min={ringTimeoutBounds.min}
            max={ringTimeoutBounds.max}
            value={draft.ringTimeoutSeconds}
            onChange={(event) => onChange({ ringTimeoutSeconds: event.target.value })}
          />
          <ValidatedField
            label={t('admin.groups.form.defaultMaxChats')}
            hint={t('admin.groups.form.defaultMaxChatsHint', defaultMaxChatsBounds)}
            error={problem(problems.defaultMaxChats)}
            type="number"
            inputMode="numeric"
            min={defaultMaxChatsBounds.min}
            max={defaultMaxChatsBounds.max}
            value={draft.defaultMaxChats}
            onChange={(event) => onChange({ defaultMaxChats: event.target.value })}
          />
        </div>
      </fieldset>
      <BusinessHoursEditor
        limited={draft.hoursLimited}
        hours={draft.hours}
        timeZoneProblem={problems.timeZone}
        intervalProblems={problems.intervals}
        onChange={onChange}
      />
      <PrechatFieldsEditor
        fields={draft.prechatFields}
        onChange={(prechatFields) => onChange({ prechatFields })}
      />
      <WidgetSettingsEditor widget={draft.widget} onChange={(widget) => onChange({ widget })} />
      <PrivacyNoticeEditor
        text={draft.privacyNoticeText}
        version={base?.privacyNotice.version}
        changed={changesNotice(base, draft)}
        onChange={(privacyNoticeText) => onChange({ privacyNoticeText })}
      />
    </>
  );
}
