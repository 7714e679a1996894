/**
 * The SLA clock of one window (acknowledge, on site, resolve, confirm): a start, a budget of
 * working time, and pauses (e.g. 待补充材料 while waiting for the firm) that do not count.
 * Values are immutable; every function takes the calendar and, where it matters, `now`.
 */
import { Calendar } from './calendar';
import { DurationMs, EpochMs } from '../time';

/** A pause of the clock; `to` is null while it lasts. */
export interface SlaPause {
  from: EpochMs;
  to: EpochMs | null;
}

export interface SlaClock {
  startedAt: EpochMs;
  /** The window's budget of working time. */
  durationMs: DurationMs;
  /** In chronological order, not overlapping; only the last may be open. */
  pauses: readonly SlaPause[];
}

export enum SlaClockErrorCode {
  AlreadyPaused = 'already_paused',
  NotPaused = 'not_paused',
  /** A pause or resume dated before the start or before the previous pause/resume. */
  OutOfOrder = 'out_of_order',
}

export class SlaClockError extends Error {
  constructor(readonly code: SlaClockErrorCode, message: string) {
    super(message);
    this.name = 'SlaClockError';
  }
}

/** Countdown warnings: at half and three quarters of the window, and when it is used up. */
export enum SlaWarning {
  None = 'none',
  HalfUsed = 'half_used',
  ThreeQuartersUsed = 'three_quarters_used',
  Breached = 'breached',
}

export const SLA_WARNING_FRACTIONS: ReadonlyArray<{ warning: SlaWarning; fraction: number }> = [
  { warning: SlaWarning.HalfUsed, fraction: 0.5 },
  { warning: SlaWarning.ThreeQuartersUsed, fraction: 0.75 },
  { warning: SlaWarning.Breached, fraction: 1 },
];

export function startSlaClock(startedAt: EpochMs, durationMs: DurationMs): SlaClock {
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) throw new RangeError(`duration must be >= 0, got ${durationMs}`);
  return { startedAt, durationMs, pauses: [] };
}

export function isSlaClockPaused(clock: SlaClock): boolean {
  const last = clock.pauses[clock.pauses.length - 1];
  return last !== undefined && last.to === null;
}

function latestEvent(clock: SlaClock): EpochMs {
  const last = clock.pauses[clock.pauses.length - 1];
  return last === undefined ? clock.startedAt : (last.to ?? last.from);
}

export function pauseSlaClock(clock: SlaClock, at: EpochMs): SlaClock {
  if (isSlaClockPaused(clock)) throw new SlaClockError(SlaClockErrorCode.AlreadyPaused, 'the SLA clock is already paused');
  if (at < latestEvent(clock)) throw new SlaClockError(SlaClockErrorCode.OutOfOrder, 'pause dated before the clock’s last event');
  return { ...clock, pauses: [...clock.pauses, { from: at, to: null }] };
}

export function resumeSlaClock(clock: SlaClock, at: EpochMs): SlaClock {
  if (!isSlaClockPaused(clock)) throw new SlaClockError(SlaClockErrorCode.NotPaused, 'the SLA clock is not paused');
  const pauses = clock.pauses.slice(0, -1);
  const open = clock.pauses[clock.pauses.length - 1];
  if (at < open.from) throw new SlaClockError(SlaClockErrorCode.OutOfOrder, 'resume dated before the pause');
  return { ...clock, pauses: [...pauses, { from: open.from, to: at }] };
}

/** Working time counted by the clock up to `now`: elapsed working time minus paused working time. */
export function slaTimeUsed(calendar: Calendar, clock: SlaClock, now: EpochMs): DurationMs {
  let used = 0;
  let t = clock.startedAt;
  for (const p of clock.pauses) {
    if (p.from >= now) break;
    used += calendar.workingTimeBetween(t, p.from);
    t = Math.max(t, p.to ?? now);
  }
  return used + calendar.workingTimeBetween(t, now);
}

/**
 * The instant the clock will have counted `budget` of working time, given the pauses so far; null
 * while the clock is paused and the budget was not reached before the pause.
 */
export function slaInstantWhenUsed(calendar: Calendar, clock: SlaClock, budget: DurationMs): EpochMs | null {
  let t = clock.startedAt;
  let rest = budget;
  for (const p of clock.pauses) {
    if (rest === 0) return t;
    const worked = calendar.workingTimeBetween(t, p.from);
    if (worked >= rest) return calendar.dueAt(t, rest);
    rest -= worked;
    if (p.to === null) return null;
    t = Math.max(t, p.to);
  }
  return rest === 0 ? t : calendar.dueAt(t, rest);
}

/** The deadline of the window, or null while paused with budget left. */
export function slaDueAt(calendar: Calendar, clock: SlaClock): EpochMs | null {
  return slaInstantWhenUsed(calendar, clock, clock.durationMs);
}

/** When each warning falls due (for arming the 50%/75% reminder timers), null while paused. */
export function slaWarningInstants(calendar: Calendar, clock: SlaClock): Array<{ warning: SlaWarning; at: EpochMs | null }> {
  return SLA_WARNING_FRACTIONS.map(({ warning, fraction }) => ({
    warning,
    at: slaInstantWhenUsed(calendar, clock, Math.ceil(clock.durationMs * fraction)),
  }));
}

export interface SlaStatus {
  dueAt: EpochMs | null;
  usedMs: DurationMs;
  /** Working time left, 0 once breached. */
  remainingMs: DurationMs;
  /** Working time past the budget, 0 before the deadline. */
  overdueMs: DurationMs;
  /** usedMs / durationMs (may exceed 1); a zero-length window counts as fully used. */
  fractionUsed: number;
  /** Rounded down, for display: 0–100+. */
  percentUsed: number;
  warning: SlaWarning;
  paused: boolean;
}

/** The countdown of a window at `now`. */
export function slaStatus(calendar: Calendar, clock: SlaClock, now: EpochMs): SlaStatus {
  const usedMs = slaTimeUsed(calendar, clock, now);
  const fractionUsed = clock.durationMs === 0 ? 1 : usedMs / clock.durationMs;
  let warning = SlaWarning.None;
  for (const w of SLA_WARNING_FRACTIONS) if (usedMs >= Math.ceil(clock.durationMs * w.fraction)) warning = w.warning;
  return {
    dueAt: slaDueAt(calendar, clock),
    usedMs,
    remainingMs: Math.max(0, clock.durationMs - usedMs),
    overdueMs: Math.max(0, usedMs - clock.durationMs),
    fractionUsed,
    percentUsed: Math.floor(fractionUsed * 100),
    warning,
    paused: isSlaClockPaused(clock),
  };
}
