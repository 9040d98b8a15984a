import { ParleyError } from '../../protocol/errors';
import type { BusinessHours } from '../../protocol/operator-socket';
import type { ServerContext } from '../context';

/*
 * Business hours: when a group answers chats, as open intervals per weekday (Monday first) in the
 * group's own time zone. Times are wall-clock times there, so opening hours stay put across
 * daylight saving changes. An interval covers [from, to); 24:00 cannot be written, so a `to` of
 * 23:59 stands for the end of the day.
 */

const dayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const weekdayIndex: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const endOfDay = 24 * 60;

function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** Where an interval ends, in minutes since midnight: 23:59 means midnight. */
function endMinutes(to: string): number {
  return to === '23:59' ? endOfDay : minutesOf(to);
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/** Refuses hours that cannot be meant: an unknown time zone, empty or overlapping intervals. */
export function checkBusinessHours(hours: BusinessHours): void {
  if (!isTimeZone(hours.timeZone)) {
    throw new ParleyError(
      'invalid_request',
      `There is no time zone called "${hours.timeZone}". Use a name such as Europe/Berlin.`,
    );
  }
  hours.days.forEach((intervals, day) => {
    const sorted = [...intervals].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
    for (const interval of sorted) {
      if (minutesOf(interval.from) >= minutesOf(interval.to)) {
        throw new ParleyError(
          'invalid_request',
          `${dayNames[day] ?? 'Day ' + (day + 1)}: ${interval.from}–${interval.to} ends before it starts. An interval must end after it starts (use 23:59 for midnight).`,
        );
      }
    }
    sorted.forEach((next, index) => {
      const previous = sorted[index - 1];
      if (previous && endMinutes(previous.to) > minutesOf(next.from)) {
        throw new ParleyError(
          'invalid_request',
          `${dayNames[day] ?? 'Day ' + (day + 1)}: ${previous.from}–${previous.to} overlaps ${next.from}–${next.to}.`,
        );
      }
    });
  });
}

/** The weekday (0 = Monday) and minutes since midnight at `date` on the clocks of `timeZone`. */
export function localTime(timeZone: string, date: Date): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const day = weekdayIndex[part('weekday')];
  if (day === undefined) throw new Error(`unexpected weekday "${part('weekday')}"`);
  return { day, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

/** Whether a group with these hours is open at `date`; null hours mean always open. */
export function isOpenAt(hours: BusinessHours | null, date: Date): boolean {
  if (hours === null) return true;
  const { day, minutes } = localTime(hours.timeZone, date);
  return (hours.days[day] ?? []).some(
    (interval) => minutesOf(interval.from) <= minutes && minutes < endMinutes(interval.to),
  );
}

/**
 * isOpenAt for the group now. Hours were checked when saved, but a time zone can vanish with a
 * Node update: then the group counts as open (the hours are ignored) and the log says why.
 */
export function openNow(ctx: Pick<ServerContext, 'clock' | 'log'>, hours: BusinessHours | null): boolean {
  try {
    return isOpenAt(hours, ctx.clock.now());
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    ctx.log.error('a group’s business hours name an unknown time zone; they are ignored', {
      timeZone: hours?.timeZone,
    });
    return true;
  }
}
