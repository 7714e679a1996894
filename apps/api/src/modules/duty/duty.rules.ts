/**
 * The pure rules of the duty module, apart from what libs/domain already decides (who holds a
 * level, coverage and its gaps): turning weekly templates into occurrences, cutting shifts around
 * an override, and matching a fresh look at the gaps against the alerts already open.
 */
import { DUTY_CREW_LEVEL_LABEL, DutyAlertResolution, DutyScopeKind, ESCALATION_LEVEL_LABEL, EscalationLevel } from '@qihu/contracts';
import {
  DAY_MS,
  DutyScope,
  DutyShift,
  EpochMs,
  HOUR_MS,
  Interval,
  isoWeekdayOfDay,
  parseClockTime,
  shanghaiDayNumber,
  shanghaiMidnight,
  TicketPlacement,
} from '@qihu/domain';

/** A shift lasts at most a week, so "on duty at T" only looks at shifts that started in the week before T. */
export const MAX_SHIFT_MS = 7 * DAY_MS;
/** Templates exist as shifts this far ahead (create, edit and the hourly housekeeping keep it so). */
export const MATERIALISE_AHEAD_MS = 21 * DAY_MS;
/** Days the housekeeping job looks ahead for coverage gaps. */
export const ALERT_LOOKAHEAD_DAYS = 7;
/** A handover note may be written from this long before the end of one's shift until this long after. */
export const HANDOVER_WINDOW_MS = 2 * HOUR_MS;
/** The next person on duty is whoever is on at the handover instant or comes on within this long after it. */
export const SUCCESSOR_GRACE_MS = HOUR_MS;

/** Which ladder levels a scope's roster can hold. */
export const LEVELS_OF_SCOPE: Record<DutyScopeKind, readonly EscalationLevel[]> = {
  [DutyScopeKind.Grid]: [EscalationLevel.GridMember, EscalationLevel.GridLeader],
  [DutyScopeKind.Microgrid]: [EscalationLevel.GridMember],
  [DutyScopeKind.Department]: [EscalationLevel.Department],
  [DutyScopeKind.Crew]: [EscalationLevel.GridMember],
};

/**
 * Rosters a scope need not have: a micro-grid's (its grid's roster covers its firms) and a
 * crew's. They are reported only where they exist.
 */
export function isOptionalRoster(kind: DutyScopeKind): boolean {
  return kind === DutyScopeKind.Microgrid || kind === DutyScopeKind.Crew;
}

/** What the people on duty at a roster's level are called: the ladder's name, except in a crew. */
export function dutyLevelLabel(kind: DutyScopeKind, level: EscalationLevel): string {
  return kind === DutyScopeKind.Crew ? DUTY_CREW_LEVEL_LABEL : ESCALATION_LEVEL_LABEL[level];
}

export interface SlotPattern {
  weekday: number;
  /** `HH:mm`, Shanghai wall clock. */
  start: string;
  end: string;
}

/** A slot's length: up to the end time on the same day, else the next day; equal times mean 24 hours. */
export function slotDurationMs(start: string, end: string): number {
  const length = (parseClockTime(end) - parseClockTime(start) + DAY_MS) % DAY_MS;
  return length === 0 ? DAY_MS : length;
}

export interface Occurrence<S> extends Interval {
  slot: S;
}

/** Every occurrence of the weekly slots that overlaps `window`, in order of start (Asia/Shanghai weekdays and times). */
export function slotOccurrences<S extends SlotPattern>(slots: readonly S[], window: Interval): Array<Occurrence<S>> {
  const found: Array<Occurrence<S>> = [];
  // A slot lasts at most a day, so one that began the day before the window may still run into it.
  for (let day = shanghaiDayNumber(window.start) - 1; shanghaiMidnight(day) < window.end; day++) {
    const weekday = isoWeekdayOfDay(day);
    for (const slot of slots) {
      if (slot.weekday !== weekday) continue;
      const start = shanghaiMidnight(day) + parseClockTime(slot.start);
      const end = start + slotDurationMs(slot.start, slot.end);
      if (start < window.end && end > window.start) found.push({ start, end, slot });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The parts of `base` not covered by any of `cuts`, in order. */
export function subtractIntervals(base: Interval, cuts: readonly Interval[]): Interval[] {
  let pieces: Interval[] = [{ ...base }];
  for (const cut of cuts) {
    pieces = pieces.flatMap((p) => {
      if (cut.end <= p.start || cut.start >= p.end) return [p];
      const left = cut.start > p.start ? [{ start: p.start, end: cut.start }] : [];
      const right = cut.end < p.end ? [{ start: cut.end, end: p.end }] : [];
      return [...left, ...right];
    });
  }
  return pieces;
}

/**
 * Which template occurrences to create in one materialisation run, up to `until`. A fresh run
 * (template created or edited at `from`) also takes the occurrence running at `from`, from `from`
 * on, less what the shifts kept running (`running`) already hold; an extension takes only
 * occurrences starting at or after `from`, as the run before took the rest. Intervals held by
 * shifts that replace the template (overrides, swaps: `fixed`) are cut out of every occurrence.
 */
export function occurrencesToMaterialise<S extends SlotPattern>(
  slots: readonly S[],
  from: EpochMs,
  until: EpochMs,
  mode: 'fresh' | 'extend',
  fixed: readonly Interval[],
  running: readonly Interval[] = [],
): Array<Occurrence<S>> {
  if (until <= from) return [];
  return slotOccurrences(slots, { start: from, end: until })
    .filter((o) => o.start < until && (mode === 'fresh' ? o.end > from : o.start >= from))
    .flatMap((o) => {
      const cuts = o.start < from ? [...fixed, ...running] : fixed;
      return subtractIntervals({ start: Math.max(o.start, from), end: o.end }, cuts).map((piece) => ({ ...piece, slot: o.slot }));
    });
}

/** Marks the stretches outside a crew's hours: no person has this id. */
const OFF_HOURS = 'off-hours';

/**
 * A crew is held to its own hours (the occurrences of its weekly pattern), not to 24-hour duty:
 * the rest of the window is handed to the domain's coverage as held, so the gaps it finds are
 * the holes in those hours. (The demo's crews split the day between them, each off half of it.)
 */
export function offHoursShifts(scope: DutyScope, level: EscalationLevel, hours: readonly Interval[], window: Interval): DutyShift[] {
  return subtractIntervals(window, hours).map(({ start, end }) => ({ personId: OFF_HOURS, scope, level, start, end }));
}

/** Ids stand in for codes in the domain's scopes: they only need to match each other. */
export function domainScope(kind: DutyScopeKind, id: number): DutyScope {
  switch (kind) {
    case DutyScopeKind.Grid:
      return { kind: 'grid', gridCode: String(id) };
    case DutyScopeKind.Microgrid:
      return { kind: 'microgrid', microgridCode: String(id) };
    case DutyScopeKind.Department:
      return { kind: 'department', departmentId: String(id) };
    case DutyScopeKind.Crew:
      return { kind: 'crew', crewId: String(id) };
  }
}

export function domainPlacement(p: { gridId: number; microgridId: number | null; departmentId: number | null }): TicketPlacement {
  return {
    gridCode: String(p.gridId),
    microgridCode: p.microgridId === null ? undefined : String(p.microgridId),
    departmentId: p.departmentId === null ? null : String(p.departmentId),
  };
}

export function domainShift(s: { scopeKind: DutyScopeKind; scopeId: number; level: EscalationLevel; personId: number; start: EpochMs; end: EpochMs }): DutyShift {
  return { personId: String(s.personId), scope: domainScope(s.scopeKind, s.scopeId), level: s.level, start: s.start, end: s.end };
}

export interface OpenAlert extends Interval {
  id: number;
}

export interface AlertPlan {
  /** Gaps with no open alert: raise (and notify). */
  raise: Interval[];
  /** Open alerts whose gap moved or grew. */
  update: OpenAlert[];
  resolve: Array<{ id: number; resolution: DutyAlertResolution }>;
}

/**
 * Matches the gaps found over `window` (which starts now) with the alerts already open for the
 * same scope and level, so repeated runs raise each gap once. An alert touching a gap follows it;
 * a gap that began before now keeps the alert's earlier start (the window cut it at now); two
 * alerts on one gap fold into the earlier one; an alert no gap touches is filled, or elapsed when
 * it lies wholly in the past.
 */
export function reconcileAlerts(open: readonly OpenAlert[], gaps: readonly Interval[], window: Interval): AlertPlan {
  const plan: AlertPlan = { raise: [], update: [], resolve: [] };
  const matched = new Set<number>();
  for (const gap of gaps) {
    const touching = open.filter((a) => !matched.has(a.id) && a.start <= gap.end && a.end >= gap.start).sort((a, b) => a.start - b.start || a.id - b.id);
    if (touching.length === 0) {
      plan.raise.push({ start: gap.start, end: gap.end });
      continue;
    }
    const [keeper, ...others] = touching;
    for (const a of touching) matched.add(a.id);
    const start = gap.start <= window.start && keeper.start < gap.start ? keeper.start : gap.start;
    if (start !== keeper.start || gap.end !== keeper.end) plan.update.push({ id: keeper.id, start, end: gap.end });
    for (const other of others) plan.resolve.push({ id: other.id, resolution: DutyAlertResolution.Merged });
  }
  for (const a of open) {
    if (!matched.has(a.id)) plan.resolve.push({ id: a.id, resolution: a.end <= window.start ? DutyAlertResolution.Elapsed : DutyAlertResolution.Filled });
  }
  return plan;
}
