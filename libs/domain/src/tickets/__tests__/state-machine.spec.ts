import fc from 'fast-check';
import { EscalationLevel, Role, TicketAction, TicketStatus } from '@qihu/contracts';
import {
  DEFAULT_REOPEN_WINDOW_MS,
  FINAL_TICKET_STATUSES,
  LevelEffect,
  TICKET_TRANSITIONS,
  TransitionRefusal,
  TransitionRule,
  assertTicketMachineSound,
  availableActions,
  decideTransition,
  findTransitionTableProblems,
} from '../state-machine';
import { HOUR_MS, MINUTE_MS } from '../../time';

const at = (status: TicketStatus, level: EscalationLevel = EscalationLevel.GridMember) => ({ status, level });
const as = (role: Role) => ({ role });

describe('decideTransition: the API contract', () => {
  it('acknowledges a submitted ticket at level 0 by the grid member, keeping the level and yielding the event', () => {
    expect(decideTransition(at(TicketStatus.Submitted), TicketAction.Acknowledge, as(Role.GridMember))).toEqual({
      ok: true,
      to: TicketStatus.Acknowledged,
      level: EscalationLevel.GridMember,
      event: {
        type: TicketAction.Acknowledge,
        fromStatus: TicketStatus.Submitted,
        toStatus: TicketStatus.Acknowledged,
        level: EscalationLevel.GridMember,
      },
    });
  });

  it.each([
    [EscalationLevel.GridMember, Role.GridMember],
    [EscalationLevel.GridMember, Role.GridPartTime],
    [EscalationLevel.GridMember, Role.MicrogridLeader],
    [EscalationLevel.GridMember, Role.CommunityAdmin],
    [EscalationLevel.GridLeader, Role.GridLeader],
    [EscalationLevel.GridLeader, Role.CommunityAdmin],
    [EscalationLevel.Department, Role.DeptStaff],
    [EscalationLevel.Department, Role.CommunityAdmin],
  ])('at level %i lets %s acknowledge', (level, role) => {
    const d = decideTransition(at(TicketStatus.Submitted, level), TicketAction.Acknowledge, as(role));
    expect(d).toMatchObject({ ok: true, to: TicketStatus.Acknowledged, level });
  });

  it.each([
    [EscalationLevel.GridMember, Role.GridLeader],
    [EscalationLevel.GridMember, Role.FirmContact],
    [EscalationLevel.GridLeader, Role.GridMember],
    [EscalationLevel.Department, Role.GridLeader],
    [EscalationLevel.Department, Role.System],
  ])('at level %i refuses acknowledgement by %s', (level, role) => {
    expect(decideTransition(at(TicketStatus.Submitted, level), TicketAction.Acknowledge, as(role))).toEqual({
      ok: false,
      reason: TransitionRefusal.RoleNotPermitted,
    });
  });

  it('escalates by the system one level at a time, keeping the status, up to the department', () => {
    const first = decideTransition(at(TicketStatus.Submitted, 0), TicketAction.Escalate, as(Role.System));
    expect(first).toEqual({
      ok: true,
      to: TicketStatus.Submitted,
      level: EscalationLevel.GridLeader,
      event: { type: TicketAction.Escalate, fromStatus: TicketStatus.Submitted, toStatus: TicketStatus.Submitted, level: 1 },
    });
    expect(decideTransition(at(TicketStatus.Submitted, 1), TicketAction.Escalate, as(Role.System))).toMatchObject({ ok: true, level: 2 });
    expect(decideTransition(at(TicketStatus.Reopened, 0), TicketAction.Escalate, as(Role.System))).toMatchObject({
      ok: true,
      to: TicketStatus.Reopened,
      level: 1,
    });
  });

  it('refuses escalation at level 2 with max_level_reached, and by anyone but the system', () => {
    expect(decideTransition(at(TicketStatus.Submitted, 2), TicketAction.Escalate, as(Role.System))).toEqual({
      ok: false,
      reason: TransitionRefusal.MaxLevelReached,
    });
    expect(decideTransition(at(TicketStatus.Submitted, 0), TicketAction.Escalate, as(Role.GridLeader))).toEqual({
      ok: false,
      reason: TransitionRefusal.RoleNotPermitted,
    });
    expect(decideTransition(at(TicketStatus.Acknowledged, 0), TicketAction.Escalate, as(Role.System))).toEqual({
      ok: false,
      reason: TransitionRefusal.NotAllowedFromState,
    });
  });

  it('lets the requester cancel only before acknowledgement', () => {
    for (const role of [Role.FirmContact, Role.Worker]) {
      expect(decideTransition(at(TicketStatus.Submitted, 1), TicketAction.Cancel, as(role))).toMatchObject({
        ok: true,
        to: TicketStatus.Cancelled,
        level: 1,
      });
    }
    expect(decideTransition(at(TicketStatus.Submitted), TicketAction.Cancel, as(Role.GridMember))).toEqual({
      ok: false,
      reason: TransitionRefusal.RoleNotPermitted,
    });
    for (const status of Object.values(TicketStatus).filter((s) => s !== TicketStatus.Submitted)) {
      expect(decideTransition(at(status), TicketAction.Cancel, as(Role.FirmContact))).toEqual({
        ok: false,
        reason: TransitionRefusal.NotAllowedFromState,
      });
    }
  });

  it('compiles with the context omitted (the API calls it that way)', () => {
    expect(decideTransition(at(TicketStatus.Acknowledged), TicketAction.Dispatch, as(Role.GridMember)).ok).toBe(true);
  });
});

describe('the rest of the lifecycle', () => {
  it('runs the repair path: dispatch, accept, check in, resolve, confirm', () => {
    const steps: Array<[TicketAction, Role, TicketStatus]> = [
      [TicketAction.Acknowledge, Role.GridMember, TicketStatus.Acknowledged],
      [TicketAction.Dispatch, Role.GridMember, TicketStatus.Dispatched],
      [TicketAction.Accept, Role.CrewMember, TicketStatus.Accepted],
      [TicketAction.CheckIn, Role.CrewMember, TicketStatus.OnSite],
      [TicketAction.Resolve, Role.CrewMember, TicketStatus.Resolved],
      [TicketAction.Confirm, Role.FirmContact, TicketStatus.Closed],
    ];
    let ticket = at(TicketStatus.Submitted);
    for (const [action, role, expected] of steps) {
      const d = decideTransition(ticket, action, as(role));
      if (!d.ok) throw new Error(`${action} by ${role} refused: ${d.reason}`);
      expect(d.to).toBe(expected);
      expect(d.event).toEqual({ type: action, fromStatus: ticket.status, toStatus: expected, level: 0 });
      ticket = { status: d.to, level: d.level };
    }
  });

  it('sends a declined dispatch back to the holder', () => {
    expect(decideTransition(at(TicketStatus.Dispatched), TicketAction.Decline, as(Role.CrewMember))).toMatchObject({
      ok: true,
      to: TicketStatus.Acknowledged,
    });
    expect(decideTransition(at(TicketStatus.Dispatched), TicketAction.Accept, as(Role.GridMember))).toEqual({
      ok: false,
      reason: TransitionRefusal.RoleNotPermitted,
    });
  });

  it('lets the clock expire a dispatch nobody accepted, but not accept one', () => {
    expect(decideTransition(at(TicketStatus.Dispatched), TicketAction.Decline, as(Role.System))).toMatchObject({ ok: true, to: TicketStatus.Acknowledged });
    expect(decideTransition(at(TicketStatus.Dispatched), TicketAction.Accept, as(Role.System))).toEqual({ ok: false, reason: TransitionRefusal.RoleNotPermitted });
  });

  it('lets a crew resolve an accepted job remotely (远程问诊) unless the category needs someone on site', () => {
    expect(decideTransition(at(TicketStatus.Accepted), TicketAction.Resolve, as(Role.CrewMember))).toMatchObject({ ok: true, to: TicketStatus.Resolved });
    expect(decideTransition(at(TicketStatus.Accepted), TicketAction.Resolve, as(Role.CrewMember), { requiresOnSite: true })).toEqual({
      ok: false,
      reason: TransitionRefusal.OnSiteCheckInRequired,
    });
    expect(decideTransition(at(TicketStatus.Accepted), TicketAction.Resolve, as(Role.GridMember))).toEqual({ ok: false, reason: TransitionRefusal.RoleNotPermitted });
  });

  it('requires a reason to return a ticket, and keeps the level', () => {
    const ticket = at(TicketStatus.Acknowledged, EscalationLevel.GridLeader);
    expect(decideTransition(ticket, TicketAction.Return, as(Role.GridLeader))).toEqual({ ok: false, reason: TransitionRefusal.ReasonRequired });
    expect(decideTransition(ticket, TicketAction.Return, as(Role.GridLeader), { reason: '   ' })).toEqual({
      ok: false,
      reason: TransitionRefusal.ReasonRequired,
    });
    expect(decideTransition(ticket, TicketAction.Return, as(Role.GridLeader), { reason: '不属于本网格' })).toMatchObject({
      ok: true,
      to: TicketStatus.Submitted,
      level: EscalationLevel.GridLeader,
    });
  });

  it('allows closing on the phone unless the category needs a person on site (四必到)', () => {
    const ticket = at(TicketStatus.Acknowledged);
    expect(decideTransition(ticket, TicketAction.Resolve, as(Role.GridMember)).ok).toBe(true);
    expect(decideTransition(ticket, TicketAction.Resolve, as(Role.GridMember), { requiresOnSite: true })).toEqual({
      ok: false,
      reason: TransitionRefusal.OnSiteCheckInRequired,
    });
    const onSite = decideTransition(ticket, TicketAction.CheckIn, as(Role.GridMember));
    expect(onSite).toMatchObject({ ok: true, to: TicketStatus.OnSite });
    expect(decideTransition(at(TicketStatus.OnSite), TicketAction.Resolve, as(Role.GridMember), { requiresOnSite: true })).toMatchObject({
      ok: true,
      to: TicketStatus.Resolved,
    });
  });

  it('reopens within the window only, back at level 0', () => {
    const resolvedAt = Date.UTC(2026, 2, 2, 2);
    const ticket = at(TicketStatus.Resolved, EscalationLevel.Department);
    expect(decideTransition(ticket, TicketAction.Reopen, as(Role.FirmContact))).toEqual({ ok: false, reason: TransitionRefusal.MissingContext });
    expect(
      decideTransition(ticket, TicketAction.Reopen, as(Role.FirmContact), { resolvedAt, now: resolvedAt + DEFAULT_REOPEN_WINDOW_MS }),
    ).toMatchObject({ ok: true, to: TicketStatus.Reopened, level: EscalationLevel.GridMember });
    expect(
      decideTransition(ticket, TicketAction.Reopen, as(Role.FirmContact), { resolvedAt, now: resolvedAt + DEFAULT_REOPEN_WINDOW_MS + 1 }),
    ).toEqual({ ok: false, reason: TransitionRefusal.ReopenWindowPassed });
    expect(
      decideTransition(ticket, TicketAction.Reopen, as(Role.Worker), { resolvedAt, now: resolvedAt + 2 * HOUR_MS, reopenWindowMs: HOUR_MS }),
    ).toEqual({ ok: false, reason: TransitionRefusal.ReopenWindowPassed });
  });

  it('auto-closes an unrated ticket by the system only', () => {
    expect(decideTransition(at(TicketStatus.Resolved), TicketAction.AutoClose, as(Role.System))).toMatchObject({ ok: true, to: TicketStatus.Closed });
    expect(decideTransition(at(TicketStatus.Resolved), TicketAction.AutoClose, as(Role.FirmContact)).ok).toBe(false);
  });

  it('records supervision (督办) without changing status or level', () => {
    const d = decideTransition(at(TicketStatus.Dispatched, 1), TicketAction.Supervise, as(Role.GridInstructor));
    expect(d).toMatchObject({ ok: true, to: TicketStatus.Dispatched, level: 1 });
    expect(decideTransition(at(TicketStatus.Closed), TicketAction.Supervise, as(Role.GridInstructor)).ok).toBe(false);
  });

  it('lists the actions available to an actor', () => {
    expect(availableActions(at(TicketStatus.Submitted), as(Role.FirmContact))).toEqual([TicketAction.Cancel]);
    expect(availableActions(at(TicketStatus.Submitted), as(Role.GridMember)).sort()).toEqual(
      [TicketAction.Acknowledge, TicketAction.Return, TicketAction.Transfer].sort(),
    );
    expect(availableActions(at(TicketStatus.Closed), as(Role.CommunityAdmin))).toEqual([]);
  });

  it('leaves final states with no transitions at all', () => {
    for (const status of FINAL_TICKET_STATUSES) {
      for (const action of Object.values(TicketAction)) {
        for (const role of Object.values(Role)) {
          expect(decideTransition(at(status), action, as(role)).ok).toBe(false);
        }
      }
    }
  });
});

describe('soundness of the transition table', () => {
  it('holds for the shipped table', () => {
    expect(findTransitionTableProblems(TICKET_TRANSITIONS)).toEqual([]);
    expect(() => assertTicketMachineSound()).not.toThrow();
  });

  const rule = (action: TicketAction, from: TicketStatus[], to: TicketStatus | null): TransitionRule => ({
    action,
    from,
    to,
    who: { kind: 'roles', roles: [Role.System] },
    level: LevelEffect.Keep,
    guards: [],
  });

  it('names unreachable states and states that cannot finish', () => {
    const statuses = [TicketStatus.Submitted, TicketStatus.Acknowledged, TicketStatus.OnSite, TicketStatus.Closed];
    const table = [
      rule(TicketAction.Acknowledge, [TicketStatus.Submitted], TicketStatus.Acknowledged),
      rule(TicketAction.Confirm, [TicketStatus.OnSite], TicketStatus.Closed),
    ];
    expect(findTransitionTableProblems(table, statuses, TicketStatus.Submitted, [TicketStatus.Closed])).toEqual([
      "status 'on_site' is unreachable from 'submitted'",
      "status 'closed' is unreachable from 'submitted'",
      "status 'submitted' cannot reach a final status",
      "status 'acknowledged' cannot reach a final status",
    ]);
  });

  it('names duplicate rows, unknown statuses and final states with exits', () => {
    const statuses = [TicketStatus.Submitted, TicketStatus.Closed];
    const table = [
      rule(TicketAction.Confirm, [TicketStatus.Submitted], TicketStatus.Closed),
      rule(TicketAction.Confirm, [TicketStatus.Submitted], TicketStatus.Closed),
      rule(TicketAction.Reopen, [TicketStatus.Closed], TicketStatus.Submitted),
      rule(TicketAction.Supervise, [TicketStatus.Closed], null),
      rule(TicketAction.Dispatch, [TicketStatus.Submitted], 'lost' as TicketStatus),
    ];
    expect(findTransitionTableProblems(table, statuses, TicketStatus.Submitted, [TicketStatus.Closed])).toEqual([
      "action 'confirm' from 'submitted' is defined twice",
      "rule dispatch mentions unknown status 'lost'",
      "final status 'closed' has transitions to submitted",
    ]);
  });
});

describe('laws', () => {
  const actionArb = fc.constantFrom(...Object.values(TicketAction));
  const roleArb = fc.constantFrom(...Object.values(Role));
  const stepArb = fc.record({
    action: actionArb,
    role: roleArb,
    reason: fc.option(fc.constantFrom('错派', ''), { nil: undefined }),
    requiresOnSite: fc.boolean(),
    sinceResolvedMs: fc.integer({ min: 0, max: 100 * HOUR_MS }),
  });

  it('no sequence of legal actions leaves the machine in an unknown state or level', () => {
    const statuses = new Set<string>(Object.values(TicketStatus));
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        let ticket = at(TicketStatus.Submitted);
        for (const s of steps) {
          const resolvedAt = 1_700_000_000_000;
          const d = decideTransition(ticket, s.action, as(s.role), {
            reason: s.reason,
            requiresOnSite: s.requiresOnSite,
            resolvedAt,
            now: resolvedAt + s.sinceResolvedMs,
          });
          if (d.ok) {
            expect(statuses.has(d.to)).toBe(true);
            expect([0, 1, 2]).toContain(d.level);
            expect(d.event.fromStatus).toBe(ticket.status);
            expect(d.event.toStatus).toBe(d.to);
            expect(d.level === ticket.level || s.action === TicketAction.Escalate || s.action === TicketAction.Reopen).toBe(true);
            ticket = { status: d.to, level: d.level };
          } else {
            expect(Object.values(TransitionRefusal)).toContain(d.reason);
          }
        }
      }),
    );
  });

  it('escalation never skips a level and never passes the department', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1, 2) as fc.Arbitrary<EscalationLevel>, (level) => {
        const d = decideTransition(at(TicketStatus.Submitted, level), TicketAction.Escalate, as(Role.System));
        if (d.ok) expect(d.level).toBe(level + 1);
        else expect(level).toBe(EscalationLevel.Department);
      }),
    );
  });

  it('the reopen window boundary is inclusive', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 240 }), fc.integer({ min: 0, max: 480 }), (windowMin, sinceMin) => {
        const d = decideTransition(at(TicketStatus.Resolved), TicketAction.Reopen, as(Role.FirmContact), {
          resolvedAt: 0,
          now: sinceMin * MINUTE_MS,
          reopenWindowMs: windowMin * MINUTE_MS,
        });
        expect(d.ok).toBe(sinceMin <= windowMin);
      }),
    );
  });
});
