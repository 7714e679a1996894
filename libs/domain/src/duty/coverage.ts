/**
 * Duty coverage of one scope's roster over a window: when nobody is on duty at a level (gaps),
 * when several are (overlaps), and whether 24-hour duty (24小时值守) holds on weekends and public
 * holidays (周末不打烊).
 */
import { EscalationLevel } from '@qihu/contracts';
import { ChineseDayKind, chineseDayKind } from '../sla/chinese-days';
import { DutyShift } from './roster';
import { DAY_MS, DurationMs, Interval, shanghaiDateOfDay, shanghaiDayNumber, shanghaiMidnight } from '../time';

export interface DutyOverlap extends Interval {
  personIds: string[];
}

export interface LevelCoverage {
  level: EscalationLevel;
  /** Maximal intervals of the window with nobody on duty, in order. */
  gaps: Interval[];
  /** Intervals with two or more people on duty, split where the set of people changes. */
  overlaps: DutyOverlap[];
  coveredMs: DurationMs;
  fullyCovered: boolean;
}

/** Coverage of one level by the given shifts (of one scope) over `window`. Shifts of other levels are ignored. */
export function levelCoverage(shifts: readonly DutyShift[], level: EscalationLevel, window: Interval): LevelCoverage {
  const relevant = shifts.filter((s) => s.level === level && s.start < window.end && s.end > window.start && s.start < s.end);
  const cuts = new Set<number>([window.start, window.end]);
  for (const s of relevant) {
    cuts.add(Math.max(s.start, window.start));
    cuts.add(Math.min(s.end, window.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const gaps: Interval[] = [];
  const overlaps: DutyOverlap[] = [];
  let coveredMs = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i];
    const end = points[i + 1];
    const onDuty = [...new Set(relevant.filter((s) => s.start <= start && start < s.end).map((s) => s.personId))].sort();
    if (onDuty.length === 0) {
      const last = gaps[gaps.length - 1];
      if (last && last.end === start) last.end = end;
      else gaps.push({ start, end });
      continue;
    }
    coveredMs += end - start;
    if (onDuty.length > 1) {
      const last = overlaps[overlaps.length - 1];
      if (last && last.end === start && last.personIds.join() === onDuty.join()) last.end = end;
      else overlaps.push({ start, end, personIds: onDuty });
    }
  }
  return { level, gaps, overlaps, coveredMs, fullyCovered: gaps.length === 0 };
}

/** Coverage of every level of the ladder. */
export function dutyCoverage(shifts: readonly DutyShift[], window: Interval): LevelCoverage[] {
  return [EscalationLevel.GridMember, EscalationLevel.GridLeader, EscalationLevel.Department].map((level) =>
    levelCoverage(shifts, level, window),
  );
}

export interface UncoveredDay {
  /** Shanghai date, YYYY-MM-DD. */
  date: string;
  kind: ChineseDayKind;
  uncoveredMs: DurationMs;
}

export interface RoundTheClockReport {
  /** True when every instant of the window, weekends and holidays included, has someone on duty. */
  holds: boolean;
  /** Days with a gap, each with its kind (weekend, public holiday …) so the admin sees where duty breaks. */
  uncoveredDays: UncoveredDay[];
}

/** Whether 24-hour duty holds at a level across the window, and on which days (by kind) it breaks. */
export function roundTheClockCoverage(shifts: readonly DutyShift[], level: EscalationLevel, window: Interval): RoundTheClockReport {
  const { gaps } = levelCoverage(shifts, level, window);
  const byDay = new Map<number, DurationMs>();
  for (const gap of gaps) {
    for (let day = shanghaiDayNumber(gap.start); shanghaiMidnight(day) < gap.end; day++) {
      const from = Math.max(gap.start, shanghaiMidnight(day));
      const to = Math.min(gap.end, shanghaiMidnight(day) + DAY_MS);
      byDay.set(day, (byDay.get(day) ?? 0) + (to - from));
    }
  }
  const uncoveredDays = [...byDay].map(([day, uncoveredMs]) => {
    const date = shanghaiDateOfDay(day);
    return { date, kind: chineseDayKind(date), uncoveredMs };
  });
  return { holds: uncoveredDays.length === 0, uncoveredDays };
}
