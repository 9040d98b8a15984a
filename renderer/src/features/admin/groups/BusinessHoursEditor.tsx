import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { BusinessHours } from '../../../../../protocol/operator-socket';
import { ValidatedField } from '../../../ui/ValidatedField';
import {
  knownTimeZones,
  maxIntervalsPerDay,
  weekdayNames,
  type Interval,
  type IntervalProblem,
} from './businessHours';
import type { Problem } from './groupDraft';

interface BusinessHoursEditorProps {
  limited: boolean;
  hours: BusinessHours;
  onChange(patch: { hoursLimited?: boolean; hours?: BusinessHours }): void;
  timeZoneProblem: Problem | undefined;
  /** Per weekday, per interval index. */
  intervalProblems: Map<number, IntervalProblem>[];
}

/** The next interval of a day: from where the last one ends, else a working day. */
function nextInterval(intervals: Interval[]): Interval {
  const last = intervals.at(-1);
  return last ? { from: last.to, to: '23:59' } : { from: '09:00', to: '17:00' };
}

/**
 * Always open, or open hours per weekday in one time zone: up to four intervals a day, a day
 * without any is closed.
 */
export function BusinessHoursEditor(props: BusinessHoursEditorProps) {
  const { t, i18n } = useTranslation();
  const { hours, limited } = props;
  const dayNames = weekdayNames(i18n.language, 'long');
  const zonesId = useId();
  const errorIdBase = useId();
  const week = useRef<HTMLDivElement>(null);
  // After adding or removing an interval, where focus goes once the change has rendered: the new
  // interval, or the day's add button.
  const focusNext = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (focusNext.current === undefined) return;
    week.current?.querySelector<HTMLElement>(`[data-focus-key="${focusNext.current}"]`)?.focus();
    focusNext.current = undefined;
  });

  function setDay(day: number, intervals: Interval[]) {
    props.onChange({
      hours: { ...hours, days: hours.days.map((old, index) => (index === day ? intervals : old)) },
    });
  }

  function setTime(day: number, index: number, patch: Partial<Interval>) {
    const intervals = hours.days[day] ?? [];
    setDay(
      day,
      intervals.map((interval, at) => (at === index ? { ...interval, ...patch } : interval)),
    );
  }

  const monday = hours.days[0] ?? [];

  return (
    <fieldset className="business-hours">
      <legend>{t('admin.groups.businessHours.legend')}</legend>
      <p className="hint">{t('admin.groups.businessHours.lead')}</p>
      <div className="business-hours-mode">
        <label className="check">
          <input
            type="radio"
            name={`${zonesId}-mode`}
            checked={!limited}
            onChange={() => props.onChange({ hoursLimited: false })}
          />
          {t('admin.groups.businessHours.always')}
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${zonesId}-mode`}
            checked={limited}
            onChange={() => props.onChange({ hoursLimited: true })}
          />
          {t('admin.groups.businessHours.limited')}
        </label>
      </div>
      {limited ? (
        <>
          <ValidatedField
            label={t('admin.groups.businessHours.timeZone')}
            hint={t('admin.groups.businessHours.timeZoneHint')}
            error={
              props.timeZoneProblem
                ? t(`admin.groups.invalid.${props.timeZoneProblem.key}`, props.timeZoneProblem.values ?? {})
                : undefined
            }
            value={hours.timeZone}
            list={zonesId}
            maxLength={64}
            spellCheck={false}
            autoComplete="off"
            className="time-zone"
            onChange={(event) => props.onChange({ hours: { ...hours, timeZone: event.target.value } })}
          />
          <datalist id={zonesId}>
            {knownTimeZones().map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <div className="week" ref={week}>
            {hours.days.map((intervals, day) => {
              const dayName = dayNames[day] ?? '';
              const problems = props.intervalProblems[day];
              return (
                <div
                  key={day}
                  role="group"
                  aria-label={t('admin.groups.businessHours.dayLabel', { day: dayName })}
                  className="day"
                >
                  <span className="day-name" aria-hidden="true">
                    {dayName}
                  </span>
                  <div className="day-intervals">
                    {intervals.length === 0 ? (
                      <span className="muted day-closed">{t('admin.groups.businessHours.closed')}</span>
                    ) : null}
                    {intervals.map((interval, index) => {
                      const problem = problems?.get(index);
                      const errorId = `${errorIdBase}-${day}-${index}`;
                      const names = { day: dayName, number: index + 1 };
                      const invalid = problem ? { 'aria-invalid': true, 'aria-describedby': errorId } : {};
                      return (
                        <div key={index} className="interval">
                          <input
                            type="time"
                            aria-label={t('admin.groups.businessHours.opens', names)}
                            value={interval.from}
                            data-focus-key={`${day}-${index}`}
                            {...invalid}
                            onChange={(event) => setTime(day, index, { from: event.target.value })}
                          />
                          <span className="interval-until">{t('admin.groups.businessHours.until')}</span>
                          <input
                            type="time"
                            aria-label={t('admin.groups.businessHours.closes', names)}
                            value={interval.to}
                            {...invalid}
                            onChange={(event) => setTime(day, index, { to: event.target.value })}
                          />
                          <button
                            type="button"
                            className="quiet small"
                            aria-label={t('admin.groups.businessHours.removeLabel', names)}
                            onClick={() => {
                              setDay(
                                day,
                                intervals.filter((_, at) => at !== index),
                              );
                              focusNext.current = `add-${day}`;
                            }}
                          >
                            {t('admin.groups.businessHours.remove')}
                          </button>
                          {problem ? (
                            <span id={errorId} className="field-error interval-error">
                              {t(`admin.groups.invalid.${problem.key}`, problem.values ?? {})}
                            </span>
                          ) : null}
                        </div>
                      );
                    })}
                    <button
                      type="button"
                      className="secondary small day-add"
                      aria-label={t('admin.groups.businessHours.addLabel', { day: dayName })}
                      disabled={intervals.length >= maxIntervalsPerDay}
                      data-focus-key={`add-${day}`}
                      onClick={() => {
                        setDay(day, [...intervals, nextInterval(intervals)]);
                        focusNext.current = `${day}-${intervals.length}`;
                      }}
                    >
                      {t('admin.groups.businessHours.add')}
                    </button>
                  </div>
                </div>
              );
            })}
          </div>
          <p className="hint">{t('admin.groups.businessHours.midnightHint')}</p>
          <p>
            <button
              type="button"
              className="secondary small"
              onClick={() =>
                props.onChange({
                  hours: {
                    ...hours,
                    days: hours.days.map((old, day) => (day >= 1 && day <= 4 ? monday : old)),
                  },
                })
              }
            >
              {t('admin.groups.businessHours.copyMonday')}
            </button>
          </p>
        </>
      ) : null}
    </fieldset>
  );
}
