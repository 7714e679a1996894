/**
 * The escalation ladder (分级处置，逐级上报): level 0 the on-duty members of the firm's grid (and its
 * micro-grid leaders), level 1 the grid leader on duty, level 2 the department that owns the
 * category. A level with nobody on duty is skipped at once, with the reason, so a ticket is never
 * left with nobody; the skip is what the coverage alert reports.
 */
import { EscalationLevel } from '@qihu/contracts';
import { ALWAYS_OPEN, Calendar } from '../sla/calendar';
import { DutyScope, DutyShift, isOnDuty } from '../duty/roster';
import { MAX_ESCALATION_LEVEL } from '../tickets/state-machine';
import { DurationMs, EpochMs, MINUTE_MS } from '../time';

/** Where a ticket sits in the organisation: firm → micro-grid → grid → community, and its category's department. */
export interface TicketPlacement {
  gridCode: string;
  microgridCode?: string;
  /** The department owning the ticket's category; null when the category names none. */
  departmentId: string | null;
}

export enum LadderSkipReason {
  /** The level has a roster in this scope, but no shift covers the instant. */
  NobodyOnDuty = 'nobody_on_duty',
  /** No shift at all is rostered for this level and scope. */
  NoRoster = 'no_roster',
  /** Level 2 needs the category's department and there is none. */
  NoDepartmentForCategory = 'no_department_for_category',
}

export interface LadderSkip {
  level: EscalationLevel;
  reason: LadderSkipReason;
}

export interface LadderHolding {
  /** The level that holds the ticket: the first level at or above the asked one with someone on duty, else the top. */
  level: EscalationLevel;
  /** Everyone on duty at that level (each is notified); empty when the whole ladder is unstaffed. */
  holderIds: string[];
  /** Levels passed over on the way, lowest first. */
  skipped: LadderSkip[];
}

export interface LadderPolicy {
  /** Time allowed at each level before escalating to the next (level 0: the acknowledge window). */
  windowMs: Record<EscalationLevel.GridMember | EscalationLevel.GridLeader, DurationMs>;
  calendar: Calendar;
}

/** domain.md: 30 minutes to acknowledge, then 30 minutes at the grid leader, around the clock. */
export const DEFAULT_LADDER_POLICY: LadderPolicy = {
  windowMs: { [EscalationLevel.GridMember]: 30 * MINUTE_MS, [EscalationLevel.GridLeader]: 30 * MINUTE_MS },
  calendar: ALWAYS_OPEN,
};

function scopesOf(placement: TicketPlacement, level: EscalationLevel): DutyScope[] {
  if (level === EscalationLevel.Department) {
    return placement.departmentId === null ? [] : [{ kind: 'department', departmentId: placement.departmentId }];
  }
  const scopes: DutyScope[] = [{ kind: 'grid', gridCode: placement.gridCode }];
  if (level === EscalationLevel.GridMember && placement.microgridCode !== undefined) {
    scopes.push({ kind: 'microgrid', microgridCode: placement.microgridCode });
  }
  return scopes;
}

function sameScope(a: DutyScope, b: DutyScope): boolean {
  switch (a.kind) {
    case 'grid':
      return b.kind === 'grid' && a.gridCode === b.gridCode;
    case 'microgrid':
      return b.kind === 'microgrid' && a.microgridCode === b.microgridCode;
    case 'department':
      return b.kind === 'department' && a.departmentId === b.departmentId;
    case 'crew':
      return b.kind === 'crew' && a.crewId === b.crewId;
  }
}

/** Who is on duty at one level for this ticket at `at`, or why nobody is. */
export function holdersAtLevel(
  placement: TicketPlacement,
  shifts: readonly DutyShift[],
  level: EscalationLevel,
  at: EpochMs,
): { holderIds: string[]; skipReason: LadderSkipReason | null } {
  const scopes = scopesOf(placement, level);
  if (scopes.length === 0) return { holderIds: [], skipReason: LadderSkipReason.NoDepartmentForCategory };
  const rostered = shifts.filter((s) => s.level === level && scopes.some((scope) => sameScope(scope, s.scope)));
  if (rostered.length === 0) return { holderIds: [], skipReason: LadderSkipReason.NoRoster };
  const holderIds = [...new Set(rostered.filter((s) => isOnDuty(s, at)).map((s) => s.personId))].sort();
  return { holderIds, skipReason: holderIds.length === 0 ? LadderSkipReason.NobodyOnDuty : null };
}

/** Who holds a ticket that reaches `level` at `at`: that level, or the next staffed one above it. */
export function resolveHolder(
  placement: TicketPlacement,
  shifts: readonly DutyShift[],
  level: EscalationLevel,
  at: EpochMs,
): LadderHolding {
  const skipped: LadderSkip[] = [];
  for (let l = level; l <= MAX_ESCALATION_LEVEL; l++) {
    const { holderIds, skipReason } = holdersAtLevel(placement, shifts, l, at);
    if (skipReason === null) return { level: l, holderIds, skipped };
    skipped.push({ level: l, reason: skipReason });
  }
  return { level: MAX_ESCALATION_LEVEL, holderIds: [], skipped };
}

/** When a ticket that entered `level` at `enteredAt` escalates next; null at the top of the ladder. */
export function nextEscalationDeadline(policy: LadderPolicy, level: EscalationLevel, enteredAt: EpochMs): EpochMs | null {
  if (level >= MAX_ESCALATION_LEVEL) return null;
  return policy.calendar.dueAt(enteredAt, policy.windowMs[level as EscalationLevel.GridMember | EscalationLevel.GridLeader]);
}

export interface EscalationStep extends LadderHolding {
  enteredAt: EpochMs;
  /** When this step escalates if nobody acknowledges; null at the top (or with nobody left to hold it). */
  deadline: EpochMs | null;
}

/**
 * The whole ladder for a ticket nobody acknowledges, from `submittedAt`: who holds it at each step,
 * the levels skipped and why, and each step's deadline.
 */
export function planEscalation(
  placement: TicketPlacement,
  shifts: readonly DutyShift[],
  policy: LadderPolicy,
  submittedAt: EpochMs,
): EscalationStep[] {
  const steps: EscalationStep[] = [];
  let level = EscalationLevel.GridMember;
  let at = submittedAt;
  for (;;) {
    const holding = resolveHolder(placement, shifts, level, at);
    const deadline = nextEscalationDeadline(policy, holding.level, at);
    steps.push({ ...holding, enteredAt: at, deadline });
    if (deadline === null) return steps;
    level = holding.level + 1;
    at = deadline;
  }
}
