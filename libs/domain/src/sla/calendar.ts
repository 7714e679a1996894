/**
 * Calendars an SLA window runs on, evaluated in Asia/Shanghai.
 *
 * - 24×7 (周末不打烊): every instant counts. The default for every window.
 * - Working time: hours per weekday, an optional lunch break, Chinese public holidays and make-up
 *   working days (调休) from `chinese-days`, and community overrides per date.
 *
 * A working-time calendar is compiled once; it then answers from per-day working intervals that are
 * computed lazily in blocks of days and cached with running totals, so a due time is a binary
 * search rather than a walk over the days.
 */
import { ChineseDayKind, chineseDayKind } from './chinese-days';
import {
  DAY_MS,
  DurationMs,
  dayNumberOfShanghaiDate,
  EpochMs,
  IsoWeekday,
  isoWeekdayOfDay,
  parseClockTime,
  shanghaiDateOfDay,
  shanghaiDayNumber,
  shanghaiMidnight,
} from '../time';

export enum CalendarKind {
  /** 24×7: all time is working time. */
  AlwaysOpen = 'always_open',
  WorkingTime = 'working_time',
}

/** Wall-clock hours in Shanghai, `HH:mm`, start before end (`24:00` allowed as the end). */
export interface ClockRange {
  start: string;
  end: string;
}

/** A community's exception for one date: other hours, or `null` for closed. */
export interface CalendarOverride {
  date: string;
  hours: ClockRange | null;
}

export interface AlwaysOpenSpec {
  kind: CalendarKind.AlwaysOpen;
}

export interface WorkingTimeSpec {
  kind: CalendarKind.WorkingTime;
  /** Working hours per ISO weekday (1 = Monday … 7 = Sunday); a weekday left out is closed. */
  hours: Partial<Record<IsoWeekday, ClockRange>>;
  /** Taken out of every working day it overlaps. */
  lunchBreak?: ClockRange;
  /** `cn`: national public holidays are closed and make-up days (调休) are worked. */
  publicHolidays: 'cn' | 'none';
  /** Hours on a make-up working day; defaults to Monday's hours. */
  makeUpDayHours?: ClockRange;
  /** Community overrides by date; they win over everything else. */
  overrides?: readonly CalendarOverride[];
}

export type CalendarSpec = AlwaysOpenSpec | WorkingTimeSpec;

export const ALWAYS_OPEN_SPEC: AlwaysOpenSpec = { kind: CalendarKind.AlwaysOpen };

/** Office hours of a street office: 08:30–17:30 Monday to Friday, lunch 12:00–13:30, national holidays. */
export const STANDARD_WORKING_TIME_SPEC: WorkingTimeSpec = {
  kind: CalendarKind.WorkingTime,
  hours: {
    1: { start: '08:30', end: '17:30' },
    2: { start: '08:30', end: '17:30' },
    3: { start: '08:30', end: '17:30' },
    4: { start: '08:30', end: '17:30' },
    5: { start: '08:30', end: '17:30' },
  },
  lunchBreak: { start: '12:00', end: '13:30' },
  publicHolidays: 'cn',
};

/** A compiled calendar: pass it to dueAt, workingTimeBetween and the SLA clock. */
export interface Calendar {
  readonly kind: CalendarKind;
  /** The working time in [from, to); 0 when to <= from. */
  workingTimeBetween(from: EpochMs, to: EpochMs): DurationMs;
  /** The instant by which `duration` of working time has passed since `start`. */
  dueAt(start: EpochMs, duration: DurationMs): EpochMs;
  /** The first working instant at or after `at`. */
  nextWorkingInstant(at: EpochMs): EpochMs;
  isWorkingInstant(at: EpochMs): boolean;
  /** The working intervals of the Shanghai day containing `at`, as UTC instants. */
  workingIntervalsOfDay(at: EpochMs): Array<{ start: EpochMs; end: EpochMs }>;
}

class AlwaysOpenCalendar implements Calendar {
  readonly kind = CalendarKind.AlwaysOpen;
  workingTimeBetween(from: EpochMs, to: EpochMs): DurationMs {
    return to > from ? to - from : 0;
  }
  dueAt(start: EpochMs, duration: DurationMs): EpochMs {
    assertDuration(duration);
    return start + duration;
  }
  nextWorkingInstant(at: EpochMs): EpochMs {
    return at;
  }
  isWorkingInstant(): boolean {
    return true;
  }
  workingIntervalsOfDay(at: EpochMs): Array<{ start: EpochMs; end: EpochMs }> {
    const start = shanghaiMidnight(shanghaiDayNumber(at));
    return [{ start, end: start + DAY_MS }];
  }
}

export const ALWAYS_OPEN: Calendar = new AlwaysOpenCalendar();

function assertDuration(duration: DurationMs): void {
  if (!(duration >= 0) || !Number.isFinite(duration)) throw new RangeError(`duration must be a finite number >= 0, got ${duration}`);
}

/** Days per cached block. Any 90-day window touches at most two blocks. */
const BLOCK_DAYS = 128;
/** A calendar with no working time for this many consecutive blocks (~7 years) is refused. */
const MAX_EMPTY_BLOCKS = 20;

/** Working intervals of BLOCK_DAYS consecutive days, with running totals. */
interface DayBlock {
  firstDay: number;
  /** dayCum[i]: working ms in the block's days before day i; dayCum[BLOCK_DAYS] is the total. */
  dayCum: Float64Array;
  /** Intervals of day i are ivs[ivIndex[i] .. ivIndex[i+1]) as start,end pairs of UTC instants. */
  ivIndex: Int32Array;
  ivs: Float64Array;
  total: DurationMs;
}

/** Working intervals of a day as [start, end) offsets from Shanghai midnight. */
type DayOffsets = ReadonlyArray<readonly [DurationMs, DurationMs]>;

class WorkingTimeCalendar implements Calendar {
  readonly kind = CalendarKind.WorkingTime;
  private readonly blocks = new Map<number, DayBlock>();

  constructor(private readonly offsetsOfDay: (dayNumber: number) => DayOffsets) {}

  private block(index: number): DayBlock {
    let block = this.blocks.get(index);
    if (!block) {
      block = this.buildBlock(index * BLOCK_DAYS);
      this.blocks.set(index, block);
    }
    return block;
  }

  private buildBlock(firstDay: number): DayBlock {
    const dayCum = new Float64Array(BLOCK_DAYS + 1);
    const ivIndex = new Int32Array(BLOCK_DAYS + 1);
    const ivs: number[] = [];
    let total = 0;
    for (let i = 0; i < BLOCK_DAYS; i++) {
      dayCum[i] = total;
      ivIndex[i] = ivs.length;
      const midnight = shanghaiMidnight(firstDay + i);
      for (const [from, to] of this.offsetsOfDay(firstDay + i)) {
        ivs.push(midnight + from, midnight + to);
        total += to - from;
      }
    }
    dayCum[BLOCK_DAYS] = total;
    ivIndex[BLOCK_DAYS] = ivs.length;
    return { firstDay, dayCum, ivIndex, ivs: Float64Array.from(ivs), total };
  }

  /** Working ms in the block before instant `at`, which must fall in one of the block's days. */
  private workedBefore(b: DayBlock, at: EpochMs): DurationMs {
    const day = shanghaiDayNumber(at) - b.firstDay;
    let worked = b.dayCum[day];
    const end = b.ivIndex[day + 1];
    for (let j = b.ivIndex[day]; j < end; j += 2) {
      const s = b.ivs[j];
      const e = b.ivs[j + 1];
      if (at >= e) worked += e - s;
      else {
        if (at > s) worked += at - s;
        break;
      }
    }
    return worked;
  }

  /** The earliest instant of the block by which `target` (0 < target <= total) ms have been worked. */
  private locate(b: DayBlock, target: DurationMs): EpochMs {
    let lo = 0;
    let hi = BLOCK_DAYS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b.dayCum[mid + 1] >= target) hi = mid;
      else lo = mid + 1;
    }
    let rest = target - b.dayCum[lo];
    const end = b.ivIndex[lo + 1];
    let j = b.ivIndex[lo];
    for (; j < end - 2; j += 2) {
      const len = b.ivs[j + 1] - b.ivs[j];
      if (rest <= len) break;
      rest -= len;
    }
    return b.ivs[j] + rest;
  }

  workingTimeBetween(from: EpochMs, to: EpochMs): DurationMs {
    if (to <= from) return 0;
    const kFrom = Math.floor(shanghaiDayNumber(from) / BLOCK_DAYS);
    const kTo = Math.floor(shanghaiDayNumber(to) / BLOCK_DAYS);
    const bFrom = this.block(kFrom);
    if (kFrom === kTo) return this.workedBefore(bFrom, to) - this.workedBefore(bFrom, from);
    let worked = bFrom.total - this.workedBefore(bFrom, from);
    for (let k = kFrom + 1; k < kTo; k++) worked += this.block(k).total;
    return worked + this.workedBefore(this.block(kTo), to);
  }

  dueAt(start: EpochMs, duration: DurationMs): EpochMs {
    assertDuration(duration);
    if (duration === 0) return this.nextWorkingInstant(start);
    let k = Math.floor(shanghaiDayNumber(start) / BLOCK_DAYS);
    let b = this.block(k);
    let target = this.workedBefore(b, start) + duration;
    let emptyBlocks = 0;
    while (target > b.total) {
      target -= b.total;
      emptyBlocks = b.total === 0 ? emptyBlocks + 1 : 0;
      if (emptyBlocks >= MAX_EMPTY_BLOCKS) throw new Error('calendar has no working time: no due time can be computed');
      b = this.block(++k);
    }
    return this.locate(b, target);
  }

  nextWorkingInstant(at: EpochMs): EpochMs {
    let k = Math.floor(shanghaiDayNumber(at) / BLOCK_DAYS);
    for (let scanned = 0; scanned < MAX_EMPTY_BLOCKS; scanned++, k++) {
      const b = this.block(k);
      const startDay = Math.max(0, shanghaiDayNumber(at) - b.firstDay);
      for (let j = b.ivIndex[startDay]; j < b.ivs.length; j += 2) {
        if (b.ivs[j + 1] > at) return Math.max(b.ivs[j], at);
      }
    }
    throw new Error('calendar has no working time: no next working instant');
  }

  isWorkingInstant(at: EpochMs): boolean {
    return this.workingIntervalsOfDay(at).some((iv) => iv.start <= at && at < iv.end);
  }

  workingIntervalsOfDay(at: EpochMs): Array<{ start: EpochMs; end: EpochMs }> {
    const dayNumber = shanghaiDayNumber(at);
    const b = this.block(Math.floor(dayNumber / BLOCK_DAYS));
    const day = dayNumber - b.firstDay;
    const out: Array<{ start: EpochMs; end: EpochMs }> = [];
    for (let j = b.ivIndex[day]; j < b.ivIndex[day + 1]; j += 2) out.push({ start: b.ivs[j], end: b.ivs[j + 1] });
    return out;
  }
}

function parseRange(range: ClockRange, what: string): readonly [DurationMs, DurationMs] {
  const start = parseClockTime(range.start);
  const end = parseClockTime(range.end);
  if (start >= end) throw new RangeError(`${what}: start ${range.start} must be before end ${range.end}`);
  return [start, end];
}

function withoutBreak(hours: readonly [DurationMs, DurationMs], lunch: readonly [DurationMs, DurationMs] | null): DayOffsets {
  if (!lunch) return [hours];
  const [s, e] = hours;
  const [ls, le] = lunch;
  const parts: Array<readonly [DurationMs, DurationMs]> = [];
  if (s < Math.min(e, ls)) parts.push([s, Math.min(e, ls)]);
  if (Math.max(s, le) < e) parts.push([Math.max(s, le), e]);
  return parts;
}

function compileWorkingTime(spec: WorkingTimeSpec): Calendar {
  const lunch = spec.lunchBreak ? parseRange(spec.lunchBreak, 'lunch break') : null;
  const dayOf = (range: ClockRange | null | undefined, what: string): DayOffsets =>
    range ? withoutBreak(parseRange(range, what), lunch) : [];
  const weekly = new Map<number, DayOffsets>();
  for (let d = 1; d <= 7; d++) weekly.set(d, dayOf(spec.hours[d as IsoWeekday], `hours of weekday ${d}`));
  const makeUp = dayOf(spec.makeUpDayHours ?? spec.hours[1], 'make-up day hours');
  const overrides = new Map<string, DayOffsets>();
  for (const o of spec.overrides ?? []) {
    dayNumberOfShanghaiDate(o.date);
    overrides.set(o.date, dayOf(o.hours, `override of ${o.date}`));
  }
  const useHolidays = spec.publicHolidays === 'cn';

  return new WorkingTimeCalendar((dayNumber) => {
    const date = shanghaiDateOfDay(dayNumber);
    const override = overrides.get(date);
    if (override) return override;
    if (useHolidays) {
      const kind = chineseDayKind(date);
      if (kind === ChineseDayKind.PublicHoliday) return [];
      if (kind === ChineseDayKind.MakeUpWorkday) return makeUp;
    }
    return weekly.get(isoWeekdayOfDay(dayNumber)) ?? [];
  });
}

/** Compiles a calendar spec; throws a RangeError on malformed hours or dates. */
export function compileCalendar(spec: CalendarSpec): Calendar {
  return spec.kind === CalendarKind.AlwaysOpen ? ALWAYS_OPEN : compileWorkingTime(spec);
}

/** The instant by which `duration` ms of working time on `calendar` have passed since `start`. */
export function dueAt(calendar: Calendar, start: EpochMs, duration: DurationMs): EpochMs {
  return calendar.dueAt(start, duration);
}

/** Working time on `calendar` in [from, to); 0 when `to` is not after `from`. */
export function workingTimeBetween(calendar: Calendar, from: EpochMs, to: EpochMs): DurationMs {
  return calendar.workingTimeBetween(from, to);
}
