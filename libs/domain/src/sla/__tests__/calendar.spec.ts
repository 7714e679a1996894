import fc from 'fast-check';
import {
  ALWAYS_OPEN,
  CalendarKind,
  STANDARD_WORKING_TIME_SPEC,
  WorkingTimeSpec,
  compileCalendar,
  dueAt,
  workingTimeBetween,
} from '../calendar';
import { CHINESE_HOLIDAY_DATA_YEARS, ChineseDayKind, chineseDayKind, chineseHolidayName, firstYearWithoutHolidayData } from '../chinese-days';
import { DAY_MS, HOUR_MS, MINUTE_MS, shanghaiTime } from '../../time';

const office = compileCalendar(STANDARD_WORKING_TIME_SPEC);
const sh = shanghaiTime;
const iso = (ms: number) => new Date(ms).toISOString();

describe('chinese-days data for 2026 (verified against the package table)', () => {
  it('has the Spring Festival holiday Feb 15–23 with make-up Saturdays Feb 14 and Feb 28', () => {
    for (let d = 15; d <= 23; d++) expect(chineseDayKind(`2026-02-${d}`)).toBe(ChineseDayKind.PublicHoliday);
    expect(chineseDayKind('2026-02-14')).toBe(ChineseDayKind.MakeUpWorkday);
    expect(chineseDayKind('2026-02-28')).toBe(ChineseDayKind.MakeUpWorkday);
    expect(chineseDayKind('2026-02-13')).toBe(ChineseDayKind.Workday);
    expect(chineseDayKind('2026-02-24')).toBe(ChineseDayKind.Workday);
    expect(chineseDayKind('2026-03-01')).toBe(ChineseDayKind.Weekend);
    expect(chineseHolidayName('2026-02-17')).toBe('春节');
    expect(chineseHolidayName('2026-02-28')).toBe('春节');
    expect(chineseHolidayName('2026-03-03')).toBeNull();
  });

  it('has National Day Oct 1–7 with make-up Sunday Sep 20 and Saturday Oct 10', () => {
    for (let d = 1; d <= 7; d++) expect(chineseDayKind(`2026-10-0${d}`)).toBe(ChineseDayKind.PublicHoliday);
    expect(chineseDayKind('2026-09-20')).toBe(ChineseDayKind.MakeUpWorkday);
    expect(chineseDayKind('2026-10-10')).toBe(ChineseDayKind.MakeUpWorkday);
    expect(chineseDayKind('2026-10-11')).toBe(ChineseDayKind.Weekend);
    expect(chineseHolidayName('2026-10-10')).toBe('国庆节');
  });

  it('covers 2026', () => {
    expect(CHINESE_HOLIDAY_DATA_YEARS.first).toBeLessThanOrEqual(2026);
    expect(CHINESE_HOLIDAY_DATA_YEARS.last).toBeGreaterThanOrEqual(2026);
  });

  it('names the first year without holiday data once it is within the lookahead, in Shanghai time', () => {
    const covered = { last: 2026 };
    const month = 31 * DAY_MS;
    expect(firstYearWithoutHolidayData(Date.parse('2026-11-30T00:00:00+08:00'), month, covered)).toBeNull();
    expect(firstYearWithoutHolidayData(Date.parse('2026-12-01T00:00:00+08:00'), month, covered)).toBe(2027);
    // 2026-12-31 16:00 UTC is already 2027-01-01 in Shanghai.
    expect(firstYearWithoutHolidayData(Date.parse('2026-12-31T16:00:00Z'), 0, covered)).toBe(2027);
    expect(firstYearWithoutHolidayData(Date.parse('2026-12-31T15:59:59Z'), 0, covered)).toBeNull();
    // Already past the data: still the first year missing, not the current one.
    expect(firstYearWithoutHolidayData(Date.parse('2028-06-01T00:00:00+08:00'), month, covered)).toBe(2027);
  });
});

describe('the working-time calendar on the real 2026 calendar', () => {
  it('works the make-up Saturday before the Spring Festival and nothing during it', () => {
    expect(office.isWorkingInstant(sh('2026-02-14', '10:00'))).toBe(true);
    for (let d = 15; d <= 23; d++) expect(office.workingIntervalsOfDay(sh(`2026-02-${d}`, '10:00'))).toEqual([]);
    expect(office.isWorkingInstant(sh('2026-02-28', '10:00'))).toBe(true);
    expect(office.isWorkingInstant(sh('2026-03-01', '10:00'))).toBe(false);
  });

  it('moves a request at 17:50 on the eve of the Spring Festival to after the holiday', () => {
    // Saturday 14 Feb is the make-up working day and the last day before the holiday.
    expect(iso(dueAt(office, sh('2026-02-14', '17:50'), 30 * MINUTE_MS))).toBe(iso(sh('2026-02-24', '09:00')));
    // On the 24×7 calendar (the default) it is simply half an hour later.
    expect(dueAt(ALWAYS_OPEN, sh('2026-02-14', '17:50'), 30 * MINUTE_MS)).toBe(sh('2026-02-14', '18:20'));
  });

  it('lets a Friday-evening request run into the make-up Saturday', () => {
    expect(dueAt(office, sh('2026-02-13', '17:50'), 30 * MINUTE_MS)).toBe(sh('2026-02-14', '09:00'));
  });

  it('counts three working days across the Spring Festival', () => {
    // 13 Feb: 7 h (from 09:00), 14 Feb: 7.5 h, 24 Feb: 7.5 h, then 30 min on 25 Feb.
    expect(dueAt(office, sh('2026-02-13', '09:00'), 3 * 7.5 * HOUR_MS)).toBe(sh('2026-02-25', '09:00'));
    // 13, 14 (make-up Saturday), 24, 25, 26 and 27 February are the working days of the fortnight.
    expect(workingTimeBetween(office, sh('2026-02-13', '00:00'), sh('2026-02-28', '00:00'))).toBe(6 * 7.5 * HOUR_MS);
  });

  it('moves a request at 17:50 on the eve of National Day to 8 October', () => {
    expect(dueAt(office, sh('2026-09-30', '17:50'), 30 * MINUTE_MS)).toBe(sh('2026-10-08', '09:00'));
    expect(workingTimeBetween(office, sh('2026-09-30', '08:30'), sh('2026-10-09', '17:30'))).toBe(3 * 7.5 * HOUR_MS);
  });

  it('works Sunday 20 September and Saturday 10 October, not Sunday 11 October', () => {
    expect(dueAt(office, sh('2026-09-19', '10:00'), 60 * MINUTE_MS)).toBe(sh('2026-09-20', '09:30'));
    expect(dueAt(office, sh('2026-10-09', '17:00'), 60 * MINUTE_MS)).toBe(sh('2026-10-10', '09:00'));
    expect(dueAt(office, sh('2026-10-10', '17:00'), 60 * MINUTE_MS)).toBe(sh('2026-10-12', '09:00'));
    expect(office.isWorkingInstant(sh('2026-10-11', '10:00'))).toBe(false);
  });

  it('closes on the Mid-Autumn Friday, 25 September', () => {
    expect(dueAt(office, sh('2026-09-24', '17:00'), 60 * MINUTE_MS)).toBe(sh('2026-09-28', '09:00'));
  });

  it('skips the lunch break', () => {
    expect(dueAt(office, sh('2026-03-03', '11:50'), 30 * MINUTE_MS)).toBe(sh('2026-03-03', '13:50'));
    expect(dueAt(office, sh('2026-03-03', '12:30'), 30 * MINUTE_MS)).toBe(sh('2026-03-03', '14:00'));
    expect(dueAt(office, sh('2026-03-03', '11:30'), 30 * MINUTE_MS)).toBe(sh('2026-03-03', '12:00'));
    expect(office.isWorkingInstant(sh('2026-03-03', '12:15'))).toBe(false);
    expect(workingTimeBetween(office, sh('2026-03-03', '11:00'), sh('2026-03-03', '14:00'))).toBe(90 * MINUTE_MS);
  });

  it('skips an ordinary weekend and the night', () => {
    expect(dueAt(office, sh('2026-03-06', '17:20'), 30 * MINUTE_MS)).toBe(sh('2026-03-09', '08:50'));
    expect(dueAt(office, sh('2026-03-03', '22:00'), 30 * MINUTE_MS)).toBe(sh('2026-03-04', '09:00'));
  });

  it('returns the next working instant for a zero duration', () => {
    expect(dueAt(office, sh('2026-03-07', '10:00'), 0)).toBe(sh('2026-03-09', '08:30'));
    expect(dueAt(office, sh('2026-03-09', '10:00'), 0)).toBe(sh('2026-03-09', '10:00'));
  });

  it('reports working intervals of a day as UTC instants', () => {
    expect(office.workingIntervalsOfDay(sh('2026-03-03', '23:59'))).toEqual([
      { start: sh('2026-03-03', '08:30'), end: sh('2026-03-03', '12:00') },
      { start: sh('2026-03-03', '13:30'), end: sh('2026-03-03', '17:30') },
    ]);
    expect(ALWAYS_OPEN.workingIntervalsOfDay(sh('2026-03-03', '10:00'))).toEqual([{ start: sh('2026-03-03'), end: sh('2026-03-04') }]);
  });
});

describe('calendar options', () => {
  const base: WorkingTimeSpec = {
    kind: CalendarKind.WorkingTime,
    hours: { 1: { start: '09:00', end: '17:00' }, 6: { start: '09:00', end: '12:00' } },
    publicHolidays: 'none',
  };

  it('ignores public holidays when asked to', () => {
    const cal = compileCalendar({ ...base, hours: { 4: { start: '09:00', end: '17:00' } } });
    expect(cal.isWorkingInstant(sh('2026-10-01', '10:00'))).toBe(true); // a Thursday
  });

  it('applies community overrides: extra hours and closed days', () => {
    const cal = compileCalendar({
      ...base,
      overrides: [
        { date: '2026-03-02', hours: null }, // a Monday, closed
        { date: '2026-03-03', hours: { start: '10:00', end: '11:00' } }, // a Tuesday, opened
      ],
    });
    expect(dueAt(cal, sh('2026-03-02', '08:00'), 30 * MINUTE_MS)).toBe(sh('2026-03-03', '10:30'));
  });

  it('uses Monday’s hours on make-up days unless told otherwise', () => {
    const cn = { ...base, hours: { 1: { start: '09:00', end: '17:00' } }, publicHolidays: 'cn' as const };
    expect(compileCalendar(cn).workingIntervalsOfDay(sh('2026-02-14', '12:00'))).toEqual([
      { start: sh('2026-02-14', '09:00'), end: sh('2026-02-14', '17:00') },
    ]);
    const short = compileCalendar({ ...cn, makeUpDayHours: { start: '10:00', end: '12:00' } });
    expect(short.workingIntervalsOfDay(sh('2026-02-14', '12:00'))).toEqual([{ start: sh('2026-02-14', '10:00'), end: sh('2026-02-14', '12:00') }]);
  });

  it('trims a lunch break that overlaps the start or end of a day', () => {
    const cal = compileCalendar({ ...base, lunchBreak: { start: '11:00', end: '13:00' } });
    expect(cal.workingIntervalsOfDay(sh('2026-03-07', '12:00'))).toEqual([{ start: sh('2026-03-07', '09:00'), end: sh('2026-03-07', '11:00') }]);
    const early = compileCalendar({ ...base, lunchBreak: { start: '08:00', end: '10:00' } });
    expect(early.workingIntervalsOfDay(sh('2026-03-07', '12:00'))).toEqual([{ start: sh('2026-03-07', '10:00'), end: sh('2026-03-07', '12:00') }]);
  });

  it('allows a working day to end at 24:00', () => {
    const cal = compileCalendar({ ...base, hours: { 2: { start: '20:00', end: '24:00' } } });
    expect(dueAt(cal, sh('2026-03-03', '23:00'), 2 * HOUR_MS)).toBe(sh('2026-03-10', '21:00'));
  });

  it('rejects malformed specs', () => {
    expect(() => compileCalendar({ ...base, hours: { 1: { start: '17:00', end: '09:00' } } })).toThrow(RangeError);
    expect(() => compileCalendar({ ...base, hours: { 1: { start: '9:00', end: '17:00' } } })).toThrow(RangeError);
    expect(() => compileCalendar({ ...base, hours: { 1: { start: '09:00', end: '24:30' } } })).toThrow(RangeError);
    expect(() => compileCalendar({ ...base, overrides: [{ date: '2026-02-30', hours: null }] })).toThrow(RangeError);
    expect(() => compileCalendar({ ...base, overrides: [{ date: '2026/02/03', hours: null }] })).toThrow(RangeError);
  });

  it('refuses negative durations and calendars with no working time', () => {
    expect(() => dueAt(office, 0, -1)).toThrow(RangeError);
    expect(() => dueAt(ALWAYS_OPEN, 0, Number.NaN)).toThrow(RangeError);
    const never = compileCalendar({ ...base, hours: {} });
    expect(() => dueAt(never, sh('2026-01-01'), MINUTE_MS)).toThrow(/no working time/);
    expect(() => never.nextWorkingInstant(sh('2026-01-01'))).toThrow(/no working time/);
    expect(workingTimeBetween(never, sh('2026-01-01'), sh('2027-01-01'))).toBe(0);
  });

  it('on 24×7 counts every instant and never moves an instant', () => {
    expect(ALWAYS_OPEN.kind).toBe(CalendarKind.AlwaysOpen);
    expect(compileCalendar({ kind: CalendarKind.AlwaysOpen })).toBe(ALWAYS_OPEN);
    expect(ALWAYS_OPEN.nextWorkingInstant(123)).toBe(123);
    expect(ALWAYS_OPEN.isWorkingInstant(123)).toBe(true);
    expect(workingTimeBetween(ALWAYS_OPEN, 10, 5)).toBe(0);
  });
});

describe('laws', () => {
  const from = sh('2025-12-01');
  const to = sh('2027-01-31');
  const instant = fc.integer({ min: from, max: to });
  const workingDuration = fc.integer({ min: 1, max: 60 * 7.5 * HOUR_MS });
  const calendars = fc.constantFrom(
    office,
    compileCalendar({
      kind: CalendarKind.WorkingTime,
      hours: { 1: { start: '07:00', end: '19:00' }, 3: { start: '00:00', end: '24:00' }, 6: { start: '08:00', end: '12:00' } },
      lunchBreak: { start: '11:30', end: '12:30' },
      publicHolidays: 'cn',
      overrides: [{ date: '2026-05-01', hours: { start: '09:00', end: '10:00' } }],
    }),
  );

  it('on 24×7 the due time is start + duration', () => {
    fc.assert(fc.property(instant, fc.integer({ min: 0, max: 90 * DAY_MS }), (s, d) => dueAt(ALWAYS_OPEN, s, d) === s + d));
  });

  it('the due time never lands in non-working time', () => {
    fc.assert(
      fc.property(calendars, instant, workingDuration, (cal, s, d) => {
        const due = dueAt(cal, s, d);
        // due closes a working stretch: the millisecond before it is working time.
        expect(cal.isWorkingInstant(due - 1)).toBe(true);
        expect(cal.isWorkingInstant(dueAt(cal, s, 0))).toBe(true);
      }),
    );
  });

  it('elapsed(start, due(start, d)) = d', () => {
    fc.assert(fc.property(calendars, instant, fc.integer({ min: 0, max: 60 * 7.5 * HOUR_MS }), (cal, s, d) => workingTimeBetween(cal, s, dueAt(cal, s, d)) === d));
  });

  it('the due time is monotonic in the duration', () => {
    fc.assert(
      fc.property(calendars, instant, workingDuration, workingDuration, (cal, s, a, b) => {
        const [d1, d2] = a <= b ? [a, b] : [b, a];
        expect(dueAt(cal, s, d1)).toBeLessThanOrEqual(dueAt(cal, s, d2));
      }),
    );
  });

  it('due times compose: due(due(s, a), b) = due(s, a + b)', () => {
    fc.assert(fc.property(calendars, instant, workingDuration, workingDuration, (cal, s, a, b) => dueAt(cal, dueAt(cal, s, a), b) === dueAt(cal, s, a + b)));
  });

  it('working time is additive over adjacent intervals', () => {
    fc.assert(
      fc.property(calendars, instant, instant, instant, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q);
        expect(workingTimeBetween(cal, a, b) + workingTimeBetween(cal, b, c)).toBe(workingTimeBetween(cal, a, c));
      }),
    );
  });

  it('working time agrees with a minute-by-minute count', () => {
    fc.assert(
      fc.property(calendars, fc.integer({ min: from / MINUTE_MS, max: to / MINUTE_MS }), fc.integer({ min: 0, max: 4 * 24 * 60 }), (cal, startMin, minutes) => {
        let count = 0;
        for (let m = 0; m < minutes; m++) if (cal.isWorkingInstant((startMin + m) * MINUTE_MS)) count++;
        expect(workingTimeBetween(cal, startMin * MINUTE_MS, (startMin + minutes) * MINUTE_MS)).toBe(count * MINUTE_MS);
      }),
      { numRuns: 50 },
    );
  });
});
