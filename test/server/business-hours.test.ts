import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../../protocol/operator-socket';
import { checkBusinessHours, isOpenAt, isTimeZone } from '../../server/admin/business-hours';
import { nextNoticeVersion } from '../../server/admin/groups';

const officeHours = [{ from: '09:00', to: '17:00' }];

/** Monday to Friday 09:00–17:00, weekends closed, unless told otherwise. */
function hours(
  days: BusinessHours['days'] = [officeHours, officeHours, officeHours, officeHours, officeHours, [], []],
  timeZone = 'Europe/Berlin',
): BusinessHours {
  return { timeZone, days };
}

describe('isOpenAt', () => {
  it('is always open without business hours', () => {
    expect(isOpenAt(null, new Date('2026-11-29T03:00:00Z'))).toBe(true);
  });

  it('reads the time on the group’s clocks, from (inclusive) to (exclusive)', () => {
    // Monday 23 November 2026; Berlin is UTC+1 in winter.
    expect(isOpenAt(hours(), new Date('2026-11-23T07:59:00Z'))).toBe(false); // 08:59
    expect(isOpenAt(hours(), new Date('2026-11-23T08:00:00Z'))).toBe(true); // 09:00
    expect(isOpenAt(hours(), new Date('2026-11-23T15:59:59Z'))).toBe(true); // 16:59:59
    expect(isOpenAt(hours(), new Date('2026-11-23T16:00:00Z'))).toBe(false); // 17:00
    // The same instant in New York is 03:00: closed there.
    expect(isOpenAt(hours(undefined, 'America/New_York'), new Date('2026-11-23T08:00:00Z'))).toBe(false);
  });

  it('keeps the wall-clock hours across the change to summer time in Berlin', () => {
    const sundays = hours([[], [], [], [], officeHours, [], officeHours]);
    // Friday 27 March 2026, still CET (UTC+1): 07:30Z is 08:30, 08:30Z is 09:30.
    expect(isOpenAt(sundays, new Date('2026-03-27T07:30:00Z'))).toBe(false);
    expect(isOpenAt(sundays, new Date('2026-03-27T08:30:00Z'))).toBe(true);
    // Sunday 29 March 2026, clocks went forward at 02:00 to CEST (UTC+2): 07:30Z is 09:30.
    expect(isOpenAt(sundays, new Date('2026-03-29T07:30:00Z'))).toBe(true);
    expect(isOpenAt(sundays, new Date('2026-03-29T06:30:00Z'))).toBe(false); // 08:30
    expect(isOpenAt(sundays, new Date('2026-03-29T15:00:00Z'))).toBe(false); // 17:00
  });

  it('is closed all day on a day without intervals', () => {
    // Saturday 28 November 2026, noon in Berlin.
    expect(isOpenAt(hours(), new Date('2026-11-28T11:00:00Z'))).toBe(false);
  });

  it('treats 23:59 as the end of the day, since 24:00 cannot be written', () => {
    const lateMonday = hours([[{ from: '18:00', to: '23:59' }], [], [], [], [], [], []]);
    expect(isOpenAt(lateMonday, new Date('2026-11-23T22:59:30Z'))).toBe(true); // Monday 23:59:30
    expect(isOpenAt(lateMonday, new Date('2026-11-23T23:00:00Z'))).toBe(false); // Tuesday 00:00
  });

  it('opens in the second of two intervals on one day', () => {
    const split = hours([
      [
        { from: '08:00', to: '12:00' },
        { from: '13:00', to: '17:00' },
      ],
      [],
      [],
      [],
      [],
      [],
      [],
    ]);
    expect(isOpenAt(split, new Date('2026-11-23T11:30:00Z'))).toBe(false); // 12:30
    expect(isOpenAt(split, new Date('2026-11-23T12:30:00Z'))).toBe(true); // 13:30
  });
});

describe('checkBusinessHours', () => {
  it('accepts sensible hours, back-to-back intervals included', () => {
    expect(() =>
      checkBusinessHours(
        hours([
          [
            { from: '13:00', to: '17:00' },
            { from: '08:00', to: '13:00' },
          ],
          [],
          [],
          [],
          [],
          [],
          [{ from: '00:00', to: '23:59' }],
        ]),
      ),
    ).not.toThrow();
  });

  it('refuses an unknown time zone', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(() => checkBusinessHours(hours(undefined, 'Mars/Olympus_Mons'))).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        message: expect.stringContaining('Mars/Olympus_Mons'),
      }),
    );
  });

  it('refuses an interval that ends before it starts, or does not end at all', () => {
    for (const interval of [
      { from: '17:00', to: '09:00' },
      { from: '09:00', to: '09:00' },
    ]) {
      expect(() => checkBusinessHours(hours([[], [interval], [], [], [], [], []]))).toThrow(
        expect.objectContaining({ code: 'invalid_request', message: expect.stringMatching(/^Tuesday: /) }),
      );
    }
  });

  it('refuses overlapping intervals', () => {
    const overlapping = [
      { from: '12:00', to: '18:00' },
      { from: '09:00', to: '12:30' },
    ];
    expect(() => checkBusinessHours(hours([[], [], [], [], [], overlapping, []]))).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        message: 'Saturday: 09:00–12:30 overlaps 12:00–18:00.',
      }),
    );
  });
});

describe('nextNoticeVersion', () => {
  it('counts numeric versions up and changes any other', () => {
    expect(nextNoticeVersion('1')).toBe('2');
    expect(nextNoticeVersion('41')).toBe('42');
    expect(nextNoticeVersion('2026-spring')).not.toBe('2026-spring');
  });
});
