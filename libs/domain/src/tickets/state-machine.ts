import { EscalationLevel, Role, TicketAction, TicketStatus } from '@qihu/contracts';
import { DurationMs, EpochMs, HOUR_MS } from '../time';

export interface TicketSnapshot {
  status: TicketStatus;
  level: EscalationLevel;
}

export interface Actor {
  role: Role;
}

/** Why a transition was refused. Stable codes: the API maps them to error codes and messages. */
export enum TransitionRefusal {
  /** No row of the transition table takes this action from the ticket's status. */
  NotAllowedFromState = 'not_allowed_from_state',
  /** The actor's role may not take this action (at the ticket's current level). */
  RoleNotPermitted = 'role_not_permitted',
  /** Escalation is already at the department, the top of the ladder. */
  MaxLevelReached = 'max_level_reached',
  /** The requester tried to reopen after the reopen window closed. */
  ReopenWindowPassed = 'reopen_window_passed',
  /** Returning a ticket (退回) needs a non-blank reason. */
  ReasonRequired = 'reason_required',
  /** A 四必到 ticket cannot be resolved without someone having checked in on site. */
  OnSiteCheckInRequired = 'on_site_check_in_required',
  /** A guard needs a time the caller did not pass in the context (e.g. `now` and `resolvedAt`). */
  MissingContext = 'missing_context',
}

/** What guards may need to know beyond the ticket's status and level. All optional. */
export interface TransitionContext {
  /** The instant of the action (UTC epoch ms). */
  now?: EpochMs;
  /** When the ticket was resolved; with `now`, bounds the reopen window. */
  resolvedAt?: EpochMs;
  /** Length of the reopen window after resolution; defaults to DEFAULT_REOPEN_WINDOW_MS. */
  reopenWindowMs?: DurationMs;
  /** The reason given when returning (退回) a ticket. */
  reason?: string;
  /** The ticket's category demands a person on site (四必到). */
  requiresOnSite?: boolean;
}

export interface TransitionEvent {
  type: TicketAction;
  fromStatus: TicketStatus;
  toStatus: TicketStatus;
  level: EscalationLevel;
}

export type TransitionDecision =
  | { ok: true; to: TicketStatus; level: EscalationLevel; event: TransitionEvent }
  | { ok: false; reason: TransitionRefusal };

/** The requester may reopen within 72 hours of resolution: the same span as the confirm window. */
export const DEFAULT_REOPEN_WINDOW_MS: DurationMs = 72 * HOUR_MS;

/** States a ticket never leaves. */
export const FINAL_TICKET_STATUSES: readonly TicketStatus[] = [TicketStatus.Closed, TicketStatus.Cancelled];

export const INITIAL_TICKET_STATUS = TicketStatus.Submitted;

/**
 * Who holds a ticket at each level of the ladder (分级处置，逐级上报): level 0 the grid's on-duty
 * members (full-time, part-time and micro-grid leaders), level 1 the grid leader, level 2 the
 * department staff. The community admin may act for any holder.
 */
export const HOLDER_ROLES_BY_LEVEL: Readonly<Record<EscalationLevel, readonly Role[]>> = {
  [EscalationLevel.GridMember]: [Role.GridMember, Role.GridPartTime, Role.MicrogridLeader, Role.CommunityAdmin],
  [EscalationLevel.GridLeader]: [Role.GridLeader, Role.CommunityAdmin],
  [EscalationLevel.Department]: [Role.DeptStaff, Role.CommunityAdmin],
};

/** Everyone who may hold a ticket at some level. */
export const TICKET_HOLDER_ROLES: readonly Role[] = [...new Set(Object.values(HOLDER_ROLES_BY_LEVEL).flat())];

/** Who may take a transition: the holders of the ticket's current level, or a fixed set of roles. */
export type RolePermit = { kind: 'holder' } | { kind: 'roles'; roles: readonly Role[] };

/** Checks beyond status and role. Each returns a refusal, or null to let the transition through. */
export enum TransitionGuard {
  BelowMaxLevel = 'below_max_level',
  WithinReopenWindow = 'within_reopen_window',
  ReasonGiven = 'reason_given',
  OnSiteNotRequired = 'on_site_not_required',
}

/** Where the transition leaves the escalation level. */
export enum LevelEffect {
  Keep = 'keep',
  Raise = 'raise',
  /** Reopened tickets start the ladder again at the grid member. */
  Reset = 'reset',
}

export interface TransitionRule {
  action: TicketAction;
  from: readonly TicketStatus[];
  /** The target status; `null` keeps the current status (escalate, supervise, transfer …). */
  to: TicketStatus | null;
  who: RolePermit;
  level: LevelEffect;
  guards: readonly TransitionGuard[];
}

const HOLDER: RolePermit = { kind: 'holder' };
const roles = (...r: Role[]): RolePermit => ({ kind: 'roles', roles: r });
const REQUESTER = roles(Role.FirmContact, Role.Worker);
const CREW = roles(Role.CrewMember);
const SUPERVISORS = roles(Role.GridLeader, Role.GridInstructor, Role.DeptStaff, Role.CommunityAdmin, Role.System);
const OPEN_STATUSES: readonly TicketStatus[] = [
  TicketStatus.Submitted,
  TicketStatus.Acknowledged,
  TicketStatus.Dispatched,
  TicketStatus.Accepted,
  TicketStatus.OnSite,
  TicketStatus.Reopened,
];
const S = TicketStatus;
const A = TicketAction;
const K = LevelEffect.Keep;

/**
 * The ticket transition table. One row per (action, set of from-states); an action appears in
 * several rows only when the from-states differ (e.g. check-in by the crew after accepting, or by
 * the holder who goes on site in person). Order does not matter: (action, from) pairs are unique.
 */
export const TICKET_TRANSITIONS: readonly TransitionRule[] = [
  { action: A.Acknowledge, from: [S.Submitted, S.Reopened], to: S.Acknowledged, who: HOLDER, level: K, guards: [] },
  // 退回: a misrouted ticket goes back to be routed again; the SLA clock is not reset.
  { action: A.Return, from: [S.Submitted, S.Acknowledged, S.Reopened], to: S.Submitted, who: HOLDER, level: K, guards: [TransitionGuard.ReasonGiven] },
  // 转办: handed to another handler or department without changing state.
  { action: A.Transfer, from: [S.Submitted, S.Acknowledged], to: null, who: HOLDER, level: K, guards: [] },
  { action: A.Dispatch, from: [S.Acknowledged], to: S.Dispatched, who: HOLDER, level: K, guards: [] },
  { action: A.Accept, from: [S.Dispatched], to: S.Accepted, who: CREW, level: K, guards: [] },
  // A crew member who declines (or drops an accepted job) hands it back to the holder to dispatch
  // again; so does the clock when nobody in the crew accepts in time (System).
  { action: A.Decline, from: [S.Dispatched, S.Accepted], to: S.Acknowledged, who: roles(Role.CrewMember, Role.System), level: K, guards: [] },
  { action: A.CheckIn, from: [S.Accepted], to: S.OnSite, who: CREW, level: K, guards: [] },
  { action: A.CheckIn, from: [S.Acknowledged], to: S.OnSite, who: HOLDER, level: K, guards: [] },
  // Closing on the phone is allowed unless the category demands a person on site (四必到).
  { action: A.Resolve, from: [S.Acknowledged], to: S.Resolved, who: HOLDER, level: K, guards: [TransitionGuard.OnSiteNotRequired] },
  // 远程问诊: the crew resolves an accepted job without a visit, unless the category demands one.
  { action: A.Resolve, from: [S.Accepted], to: S.Resolved, who: CREW, level: K, guards: [TransitionGuard.OnSiteNotRequired] },
  { action: A.Resolve, from: [S.OnSite], to: S.Resolved, who: roles(Role.CrewMember, Role.GridMember, Role.GridPartTime, Role.MicrogridLeader, Role.GridLeader, Role.DeptStaff, Role.CommunityAdmin), level: K, guards: [] },
  { action: A.Confirm, from: [S.Resolved], to: S.Closed, who: REQUESTER, level: K, guards: [] },
  { action: A.AutoClose, from: [S.Resolved], to: S.Closed, who: roles(Role.System), level: K, guards: [] },
  { action: A.Reopen, from: [S.Resolved], to: S.Reopened, who: REQUESTER, level: LevelEffect.Reset, guards: [TransitionGuard.WithinReopenWindow] },
  { action: A.Cancel, from: [S.Submitted], to: S.Cancelled, who: REQUESTER, level: K, guards: [] },
  { action: A.Escalate, from: [S.Submitted, S.Reopened], to: null, who: roles(Role.System), level: LevelEffect.Raise, guards: [TransitionGuard.BelowMaxLevel] },
  { action: A.Supervise, from: OPEN_STATUSES, to: null, who: SUPERVISORS, level: K, guards: [] },
];

export const MAX_ESCALATION_LEVEL = EscalationLevel.Department;

type RuleIndex = Map<TicketStatus, Map<TicketAction, TransitionRule>>;

function indexRules(table: readonly TransitionRule[]): RuleIndex {
  const index: RuleIndex = new Map();
  for (const rule of table) {
    for (const from of rule.from) {
      let byAction = index.get(from);
      if (!byAction) index.set(from, (byAction = new Map()));
      byAction.set(rule.action, rule);
    }
  }
  return index;
}

const RULES = indexRules(TICKET_TRANSITIONS);

function mayTake(permit: RolePermit, role: Role, level: EscalationLevel): boolean {
  const allowed = permit.kind === 'holder' ? HOLDER_ROLES_BY_LEVEL[level] : permit.roles;
  return allowed.includes(role);
}

function checkGuard(guard: TransitionGuard, ticket: TicketSnapshot, ctx: TransitionContext): TransitionRefusal | null {
  switch (guard) {
    case TransitionGuard.BelowMaxLevel:
      return ticket.level >= MAX_ESCALATION_LEVEL ? TransitionRefusal.MaxLevelReached : null;
    case TransitionGuard.WithinReopenWindow: {
      if (ctx.now === undefined || ctx.resolvedAt === undefined) return TransitionRefusal.MissingContext;
      const window = ctx.reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS;
      return ctx.now - ctx.resolvedAt > window ? TransitionRefusal.ReopenWindowPassed : null;
    }
    case TransitionGuard.ReasonGiven:
      return ctx.reason !== undefined && ctx.reason.trim() !== '' ? null : TransitionRefusal.ReasonRequired;
    case TransitionGuard.OnSiteNotRequired:
      return ctx.requiresOnSite ? TransitionRefusal.OnSiteCheckInRequired : null;
  }
}

function levelAfter(effect: LevelEffect, level: EscalationLevel): EscalationLevel {
  switch (effect) {
    case LevelEffect.Keep:
      return level;
    case LevelEffect.Raise:
      return (level + 1) as EscalationLevel;
    case LevelEffect.Reset:
      return EscalationLevel.GridMember;
  }
}

/** The transition rule for an action from a status, if the table has one. */
export function findTransitionRule(status: TicketStatus, action: TicketAction): TransitionRule | undefined {
  return RULES.get(status)?.get(action);
}

/**
 * Decides whether `actor` may take `action` on `ticket`, and if so where it leads and which history
 * event to record. Checks, in order: the from-state, the actor's role at the ticket's level, then
 * the rule's guards. Pure: pass times in `ctx`.
 */
export function decideTransition(
  ticket: TicketSnapshot,
  action: TicketAction,
  actor: Actor,
  ctx: TransitionContext = {},
): TransitionDecision {
  const rule = findTransitionRule(ticket.status, action);
  if (!rule) return { ok: false, reason: TransitionRefusal.NotAllowedFromState };
  if (!mayTake(rule.who, actor.role, ticket.level)) return { ok: false, reason: TransitionRefusal.RoleNotPermitted };
  for (const guard of rule.guards) {
    const refusal = checkGuard(guard, ticket, ctx);
    if (refusal) return { ok: false, reason: refusal };
  }
  const to = rule.to ?? ticket.status;
  const level = levelAfter(rule.level, ticket.level);
  return { ok: true, to, level, event: { type: action, fromStatus: ticket.status, toStatus: to, level } };
}

/** The actions `actor` could take on `ticket` now (ignoring guards that need context), for UI buttons. */
export function availableActions(ticket: TicketSnapshot, actor: Actor): TicketAction[] {
  const byAction = RULES.get(ticket.status);
  if (!byAction) return [];
  return [...byAction.values()].filter((rule) => mayTake(rule.who, actor.role, ticket.level)).map((rule) => rule.action);
}

/**
 * Problems with a transition table: unknown statuses, ambiguous (action, from) pairs, states not
 * reachable from the initial one, non-final states that cannot reach a final one, and final states
 * with outgoing transitions. Empty when the table is sound.
 */
export function findTransitionTableProblems(
  table: readonly TransitionRule[],
  statuses: readonly TicketStatus[] = Object.values(TicketStatus),
  initial: TicketStatus = INITIAL_TICKET_STATUS,
  finals: readonly TicketStatus[] = FINAL_TICKET_STATUSES,
): string[] {
  const problems: string[] = [];
  const known = new Set(statuses);
  const seen = new Set<string>();
  const edges = new Map<TicketStatus, Set<TicketStatus>>(statuses.map((s) => [s, new Set<TicketStatus>()]));
  for (const rule of table) {
    for (const from of rule.from) {
      const to = rule.to ?? from;
      for (const s of [from, to]) if (!known.has(s)) problems.push(`rule ${rule.action} mentions unknown status '${s}'`);
      const key = `${from}|${rule.action}`;
      if (seen.has(key)) problems.push(`action '${rule.action}' from '${from}' is defined twice`);
      seen.add(key);
      edges.get(from)?.add(to);
    }
  }
  const reachable = closure([initial], (s) => edges.get(s) ?? []);
  for (const s of statuses) if (!reachable.has(s)) problems.push(`status '${s}' is unreachable from '${initial}'`);

  const reverse = new Map<TicketStatus, TicketStatus[]>();
  for (const [from, tos] of edges) for (const to of tos) reverse.set(to, [...(reverse.get(to) ?? []), from]);
  const canFinish = closure(finals, (s) => reverse.get(s) ?? []);
  for (const s of statuses) {
    if (finals.includes(s)) {
      const exits = [...(edges.get(s) ?? [])].filter((to) => to !== s);
      if (exits.length > 0) problems.push(`final status '${s}' has transitions to ${exits.join(', ')}`);
    } else if (!canFinish.has(s)) {
      problems.push(`status '${s}' cannot reach a final status`);
    }
  }
  return problems;
}

function closure<T>(start: readonly T[], next: (t: T) => Iterable<T>): Set<T> {
  const found = new Set<T>(start);
  const queue = [...start];
  for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
    for (const n of next(t)) {
      if (!found.has(n)) {
        found.add(n);
        queue.push(n);
      }
    }
  }
  return found;
}

/** Throws an Error naming every problem of the ticket transition table; the API calls this at boot. */
export function assertTicketMachineSound(): void {
  const problems = findTransitionTableProblems(TICKET_TRANSITIONS);
  if (problems.length > 0) throw new Error(`ticket state machine is unsound: ${problems.join('; ')}`);
}
