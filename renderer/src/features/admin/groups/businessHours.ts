import { businessHoursSchema, type BusinessHours } from '../../../../../protocol/operator-socket';

/*
 * Business hours as the server reads them: per weekday (Monday first) open intervals [from, to)
 * in wall-clock time of the group's time zone, where a `to` of 23:59 stands for midnight.
 */

export type Interval = BusinessHours['days'][number][number];

/** The protocol allows this many intervals a day (businessHoursSchema). */
export const maxIntervalsPerDay = 4;

const clockTime = businessHoursSchema.shape.days.element.element.shape.from;

/** Monday to Sunday in the UI language: 1 Jan 2024 was a Monday. */
export function weekdayNames(locale: string, width: 'long' | 'short'): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, day) => format.format(Date.UTC(2024, 0, 1 + day)));
}

/** Every IANA zone this runtime knows, for suggestions; UTC is valid but not in the list. */
export function knownTimeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone')];
}

/**
 * The zone as the server will take it, or undefined when there is none: Intl accepts exactly what
 * the server's check accepts. Only the spelling is corrected ("europe/berlin" → "Europe/Berlin");
 * an alias Intl knows ("Europe/Kiev") stays as written, so saving unchanged hours changes nothing.
 */
export function checkedTimeZone(timeZone: string): string | undefined {
  const name = timeZone.trim();
  if (name === '') return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

const endMinutes = (to: string) => (to === '23:59' ? 24 * 60 : minutesOf(to));

/** What is wrong with one interval of a day: its message key and what it interpolates. */
export interface IntervalProblem {
  key: 'time' | 'order' | 'overlap';
  values?: Record<string, string>;
}

/**
 * The problems of one day's intervals by index: a time that is not HH:MM, an end before the start,
 * or an overlap with an earlier interval (the later one is marked).
 */
export function dayProblems(intervals: Interval[]): Map<number, IntervalProblem> {
  const problems = new Map<number, IntervalProblem>();
  intervals.forEach((interval, index) => {
    if (!clockTime.safeParse(interval.from).success || !clockTime.safeParse(interval.to).success) {
      problems.set(index, { key: 'time' });
    } else if (minutesOf(interval.from) >= minutesOf(interval.to)) {
      problems.set(index, { key: 'order', values: { from: interval.from, to: interval.to } });
    }
  });
  const valid = intervals
    .map((interval, index) => ({ interval, index }))
    .filter(({ index }) => !problems.has(index))
    .sort((a, b) => minutesOf(a.interval.from) - minutesOf(b.interval.from));
  valid.forEach(({ interval, index }, position) => {
    const previous = valid[position - 1]?.interval;
    if (previous && endMinutes(previous.to) > minutesOf(interval.from)) {
      problems.set(index, { key: 'overlap', values: { from: previous.from, to: previous.to } });
    }
  });
  return problems;
}

const sameIntervals = (a: Interval[], b: Interval[]) =>
  a.length === b.length &&
  a.every((interval, index) => interval.from === b[index]?.from && interval.to === b[index]?.to);

/**
 * One line for the table: runs of days with the same hours share them ("Mon–Fri 09:00–17:00,
 * Sat 10:00–14:00"); closed days are left out. Empty when the group is closed every day.
 */
export function summarizeDays(hours: BusinessHours, shortNames: string[]): string {
  const runs: { first: number; last: number; intervals: Interval[] }[] = [];
  hours.days.forEach((intervals, day) => {
    const run = runs.at(-1);
    if (run && run.last === day - 1 && sameIntervals(run.intervals, intervals)) run.last = day;
    else runs.push({ first: day, last: day, intervals });
  });
  return runs
    .filter((run) => run.intervals.length > 0)
    .map((run) => {
      const days =
        run.first === run.last ? shortNames[run.first] : `${shortNames[run.first]}–${shortNames[run.last]}`;
      const times = [...run.intervals]
        .sort((a, b) => minutesOf(a.from) - minutesOf(b.from))
        .map((interval) => `${interval.from}–${interval.to}`)
        .join(', ');
      return `${days} ${times}`;
    })
    .join('; ');
}

/** New hours start as a working week, nine to five, where this computer is. */
export function workingWeek(): BusinessHours {
  const nineToFive = [{ from: '09:00', to: '17:00' }];
  return {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    days: [nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, [], []],
  };
}
