/**
 * Chinese public holidays and make-up working days (调休) from the `chinese-days` package.
 *
 * We read its published JSON table rather than call its functions: those parse dates in the
 * process's local time zone, so on a server running in UTC-5 they answer for the wrong day. The
 * table is keyed by `YYYY-MM-DD`, which we compute in Asia/Shanghai ourselves.
 */
import chineseDaysTable from 'chinese-days/dist/chinese-days.json';
import { DurationMs, EpochMs, isoWeekdayOfDay, dayNumberOfShanghaiDate, shanghaiDateOfDay, shanghaiDayNumber } from '../time';

interface ChineseDaysTable {
  /** Official days off, including those falling on weekends: "English,中文,n". */
  holidays: Record<string, string>;
  /** Weekend days that are official working days (调休补班). */
  workdays: Record<string, string>;
}

const TABLE: ChineseDaysTable = chineseDaysTable;

export enum ChineseDayKind {
  Workday = 'workday',
  Weekend = 'weekend',
  /** An official day off (法定节假日 or a day moved into the holiday by 调休). */
  PublicHoliday = 'public_holiday',
  /** A Saturday or Sunday that is worked to make up for a holiday (调休补班). */
  MakeUpWorkday = 'make_up_workday',
}

/** What kind of day a Shanghai date (`YYYY-MM-DD`) is under the national holiday arrangements. */
export function chineseDayKind(date: string): ChineseDayKind {
  if (TABLE.workdays[date] !== undefined) return ChineseDayKind.MakeUpWorkday;
  if (TABLE.holidays[date] !== undefined) return ChineseDayKind.PublicHoliday;
  return isoWeekdayOfDay(dayNumberOfShanghaiDate(date)) >= 6 ? ChineseDayKind.Weekend : ChineseDayKind.Workday;
}

/** The Chinese name of the holiday a date belongs to (e.g. 春节), for a day off or a make-up day. */
export function chineseHolidayName(date: string): string | null {
  const entry = TABLE.holidays[date] ?? TABLE.workdays[date];
  return entry === undefined ? null : entry.split(',')[1];
}

const YEARS = Object.keys(TABLE.holidays).map((d) => Number(d.slice(0, 4)));

/**
 * The years the holiday table covers. Later years fall back to plain weekends until the package is
 * updated (the State Council publishes each year's arrangement in the autumn before).
 */
export const CHINESE_HOLIDAY_DATA_YEARS = { first: Math.min(...YEARS), last: Math.max(...YEARS) };

/**
 * The first Shanghai year between `at` and `lookaheadMs` later that the holiday table does not
 * cover, or null when it covers them all. Working-time deadlines in such a year would count its
 * public holidays as working days, so the API warns the operator ahead of it.
 */
export function firstYearWithoutHolidayData(
  at: EpochMs,
  lookaheadMs: DurationMs,
  covered: { readonly last: number } = CHINESE_HOLIDAY_DATA_YEARS,
): number | null {
  const latestYear = Number(shanghaiDateOfDay(shanghaiDayNumber(at + lookaheadMs)).slice(0, 4));
  return latestYear > covered.last ? covered.last + 1 : null;
}
