/**
 * Time in the domain: every instant is a UTC epoch in milliseconds (`EpochMs`), every duration is
 * milliseconds. Nothing here reads the clock; callers pass `now`.
 *
 * Calendars are evaluated in Asia/Shanghai, which has been UTC+8 all year with no daylight saving
 * since 1992, so a Shanghai day is a fixed 24-hour slice of the UTC timeline.
 */
export type EpochMs = number;
export type DurationMs = number;

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Asia/Shanghai offset from UTC. */
export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** A half-open interval of instants [start, end). */
export interface Interval {
  start: EpochMs;
  end: EpochMs;
}

/** Days since 1970-01-01 in Shanghai (day 0 is Thursday 1970-01-01 Shanghai time). */
export function shanghaiDayNumber(at: EpochMs): number {
  return Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** The UTC instant of 00:00 Shanghai time on the given Shanghai day. */
export function shanghaiMidnight(dayNumber: number): EpochMs {
  return dayNumber * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** ISO weekday of a Shanghai day: 1 = Monday … 7 = Sunday. */
export function isoWeekdayOfDay(dayNumber: number): IsoWeekday {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1 as IsoWeekday;
}

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** `YYYY-MM-DD` of a Shanghai day. */
export function shanghaiDateOfDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The Shanghai day number of a `YYYY-MM-DD` date; throws on a malformed or impossible date. */
export function dayNumberOfShanghaiDate(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (shanghaiDateOfDay(ms / DAY_MS) !== date) throw new RangeError(`no such date: ${date}`);
  return ms / DAY_MS;
}

/**
 * The UTC instant of a Shanghai wall-clock time, e.g. `shanghaiTime('2026-02-13', '17:50')`.
 * Convenient for configuration, fixtures and tests.
 */
export function shanghaiTime(date: string, time = '00:00'): EpochMs {
  return shanghaiMidnight(dayNumberOfShanghaiDate(date)) + parseClockTime(time);
}

const CLOCK_TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** Milliseconds since midnight of an `HH:mm` wall-clock time (`24:00` allowed as end of day). */
export function parseClockTime(time: string): DurationMs {
  const m = CLOCK_TIME.exec(time);
  if (!m) throw new RangeError(`not an HH:mm time: ${time}`);
  const ms = Number(m[1]) * HOUR_MS + Number(m[2]) * MINUTE_MS;
  if (ms > DAY_MS) throw new RangeError(`not an HH:mm time: ${time}`);
  return ms;
}
