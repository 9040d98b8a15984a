import type { IpcArgs } from '../../../../../protocol/ipc';
import {
  operatorMethods,
  type AdminGroup,
  type BusinessHours,
} from '../../../../../protocol/operator-socket';
import {
  defaultPrechatFields,
  defaultPrivacyNotice,
  defaultWidgetSettings,
  type PrechatFieldsConfig,
  type PrivacyNotice,
  type WidgetSettings,
} from '../../../../../protocol/visitor-socket';
import { checkedTimeZone, dayProblems, workingWeek, type IntervalProblem } from './businessHours';

/** What the group form holds: numbers as typed, business hours kept while switched off. */
export interface GroupDraft {
  name: string;
  routingMode: AdminGroup['routingMode'];
  ringTimeoutSeconds: string;
  defaultMaxChats: string;
  /** False: always open. The hours stay in the draft, so switching back brings them back. */
  hoursLimited: boolean;
  hours: BusinessHours;
  prechatFields: PrechatFieldsConfig;
  widget: WidgetSettings;
  privacyNoticeText: PrivacyNotice['text'];
}

export interface Problem {
  key: string;
  values?: Record<string, string | number>;
}

export interface GroupProblems {
  name?: Problem;
  ringTimeoutSeconds?: Problem;
  defaultMaxChats?: Problem;
  timeZone?: Problem;
  /** Per weekday (0 = Monday), per interval index. */
  intervals: Map<number, IntervalProblem>[];
}

// The server's own rules, so the form refuses exactly what the server would.
const rules = operatorMethods['groups.create'].params.shape;
const ringTimeoutRule = rules.ringTimeoutSeconds.unwrap();
const defaultMaxChatsRule = rules.defaultMaxChats.unwrap();
const boundsOf = (rule: { minValue: number | null; maxValue: number | null }) => ({
  min: rule.minValue ?? 0,
  max: rule.maxValue ?? Number.MAX_SAFE_INTEGER,
});
export const ringTimeoutBounds = boundsOf(ringTimeoutRule);
export const defaultMaxChatsBounds = boundsOf(defaultMaxChatsRule);

/**
 * A new group starts with the server's defaults for a group (its database defaults and the
 * protocol's default notice, widget and fields). All of them are sent, so the group gets exactly
 * what the form showed.
 */
export function newGroupDraft(): GroupDraft {
  return {
    name: '',
    routingMode: 'automatic',
    ringTimeoutSeconds: '30',
    defaultMaxChats: '3',
    hoursLimited: false,
    hours: workingWeek(),
    prechatFields: defaultPrechatFields,
    widget: defaultWidgetSettings,
    privacyNoticeText: defaultPrivacyNotice.text,
  };
}

export function draftOf(group: AdminGroup): GroupDraft {
  return {
    name: group.name,
    routingMode: group.routingMode,
    ringTimeoutSeconds: String(group.ringTimeoutSeconds),
    defaultMaxChats: String(group.defaultMaxChats),
    hoursLimited: group.businessHours !== null,
    hours: group.businessHours ?? workingWeek(),
    prechatFields: group.prechatFields,
    widget: group.widget,
    privacyNoticeText: group.privacyNotice.text,
  };
}

function parseWhole(rule: typeof ringTimeoutRule, text: string): number | undefined {
  const parsed = rule.safeParse(text.trim() === '' ? Number.NaN : Number(text));
  return parsed.success ? parsed.data : undefined;
}

export function problemsOf(draft: GroupDraft): GroupProblems {
  const problems: GroupProblems = { intervals: [] };
  if (!rules.name.safeParse(draft.name).success) problems.name = { key: 'name' };
  if (parseWhole(ringTimeoutRule, draft.ringTimeoutSeconds) === undefined) {
    problems.ringTimeoutSeconds = { key: 'number', values: ringTimeoutBounds };
  }
  if (parseWhole(defaultMaxChatsRule, draft.defaultMaxChats) === undefined) {
    problems.defaultMaxChats = { key: 'number', values: defaultMaxChatsBounds };
  }
  if (draft.hoursLimited) {
    if (checkedTimeZone(draft.hours.timeZone) === undefined) {
      problems.timeZone = { key: 'timeZone', values: { timeZone: draft.hours.timeZone } };
    }
    problems.intervals = draft.hours.days.map(dayProblems);
  }
  return problems;
}

export function countProblems(problems: GroupProblems): number {
  const fields = [problems.name, problems.ringTimeoutSeconds, problems.defaultMaxChats, problems.timeZone];
  return fields.filter(Boolean).length + problems.intervals.reduce((count, day) => count + day.size, 0);
}

/** Masking rules are set on the Privacy screen; a new group starts with the server's defaults. */
type GroupSettings = Required<Omit<IpcArgs<'groups.create'>, 'masking'>>;

/** Every setting of a draft without problems, as the server takes them. */
function settingsOf(draft: GroupDraft): GroupSettings {
  return {
    name: draft.name.trim(),
    routingMode: draft.routingMode,
    ringTimeoutSeconds: Number(draft.ringTimeoutSeconds),
    defaultMaxChats: Number(draft.defaultMaxChats),
    businessHours: draft.hoursLimited
      ? { timeZone: checkedTimeZone(draft.hours.timeZone) ?? draft.hours.timeZone, days: draft.hours.days }
      : null,
    prechatFields: draft.prechatFields,
    widget: { ...draft.widget, color: draft.widget.color.toLowerCase() },
    privacyNoticeText: draft.privacyNoticeText,
  };
}

export const createParams = (draft: GroupDraft): IpcArgs<'groups.create'> => settingsOf(draft);

/** JSON with sorted keys: the server's JSON columns do not keep the order keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** The settings of `base` in the same shape, to compare a draft with. */
function savedSettings(base: AdminGroup): GroupSettings {
  const { name, routingMode, ringTimeoutSeconds, defaultMaxChats, businessHours, prechatFields } = base;
  return {
    name,
    routingMode,
    ringTimeoutSeconds,
    defaultMaxChats,
    businessHours,
    prechatFields,
    widget: { ...base.widget, color: base.widget.color.toLowerCase() },
    privacyNoticeText: base.privacyNotice.text,
  };
}

/**
 * The update for a draft without problems: the settings that differ from `base` and the version
 * the draft was made against; undefined when nothing changed.
 */
export function updateParams(base: AdminGroup, draft: GroupDraft): IpcArgs<'groups.update'> | undefined {
  const next = settingsOf(draft);
  const saved = savedSettings(base);
  const changed = (Object.keys(next) as (keyof GroupSettings)[]).filter(
    (key) => canonical(next[key]) !== canonical(saved[key]),
  );
  if (changed.length === 0) return undefined;
  return {
    groupId: base.id,
    version: base.version,
    ...Object.fromEntries(changed.map((key) => [key, next[key]])),
  };
}

/** Whether the draft changes the notice's text, which publishes a new version of it. */
export function changesNotice(base: AdminGroup | undefined, draft: GroupDraft): boolean {
  return base !== undefined && canonical(base.privacyNotice.text) !== canonical(draft.privacyNoticeText);
}
