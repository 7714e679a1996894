import { EscalationLevel } from '@qihu/contracts';
import { DutyShift } from '../../duty/roster';
import { compileCalendar, STANDARD_WORKING_TIME_SPEC } from '../../sla/calendar';
import { HOUR_MS, MINUTE_MS, shanghaiTime as sh } from '../../time';
import {
  DEFAULT_LADDER_POLICY,
  LadderSkipReason,
  TicketPlacement,
  holdersAtLevel,
  nextEscalationDeadline,
  planEscalation,
  resolveHolder,
} from '../ladder';

const GRID = '330206001001007';
const MICRO = '33020600100100701';
const placement: TicketPlacement = { gridCode: GRID, microgridCode: MICRO, departmentId: 'econ' };
const day = (date: string, from: string, to: string) => ({ start: sh(date, from), end: sh(date, to) });

const shifts: DutyShift[] = [
  { personId: 'member-day', scope: { kind: 'grid', gridCode: GRID }, level: 0, ...day('2026-03-03', '08:00', '20:00') },
  { personId: 'member-night', scope: { kind: 'grid', gridCode: GRID }, level: 0, start: sh('2026-03-03', '20:00'), end: sh('2026-03-04', '08:00') },
  { personId: 'micro-leader', scope: { kind: 'microgrid', microgridCode: MICRO }, level: 0, ...day('2026-03-03', '09:00', '17:00') },
  { personId: 'other-grid', scope: { kind: 'grid', gridCode: '330206001001008' }, level: 0, ...day('2026-03-03', '00:00', '24:00') },
  { personId: 'leader', scope: { kind: 'grid', gridCode: GRID }, level: 1, ...day('2026-03-03', '08:00', '22:00') },
  { personId: 'econ-staff', scope: { kind: 'department', departmentId: 'econ' }, level: 2, ...day('2026-03-03', '00:00', '24:00') },
];

describe('escalation ladder', () => {
  it('holds at level 0 with everyone on duty for the firm’s grid and micro-grid', () => {
    expect(resolveHolder(placement, shifts, 0, sh('2026-03-03', '10:00'))).toEqual({
      level: 0,
      holderIds: ['member-day', 'micro-leader'],
      skipped: [],
    });
    expect(resolveHolder(placement, shifts, 0, sh('2026-03-03', '23:00')).holderIds).toEqual(['member-night']);
  });

  it('gives level 1 to the grid leader and level 2 to the category’s department', () => {
    expect(resolveHolder(placement, shifts, 1, sh('2026-03-03', '10:00'))).toEqual({ level: 1, holderIds: ['leader'], skipped: [] });
    expect(resolveHolder(placement, shifts, 2, sh('2026-03-03', '10:00'))).toEqual({ level: 2, holderIds: ['econ-staff'], skipped: [] });
  });

  it('skips a level with nobody on duty and says why', () => {
    expect(resolveHolder(placement, shifts, 1, sh('2026-03-03', '23:00'))).toEqual({
      level: 2,
      holderIds: ['econ-staff'],
      skipped: [{ level: 1, reason: LadderSkipReason.NobodyOnDuty }],
    });
    const noLeaderRoster = shifts.filter((s) => s.level !== 1);
    expect(resolveHolder(placement, noLeaderRoster, 1, sh('2026-03-03', '10:00')).skipped).toEqual([{ level: 1, reason: LadderSkipReason.NoRoster }]);
  });

  it('never hands a ticket to a maintenance crew on duty, though its roster is level 0', () => {
    const crewOnDuty: DutyShift = { personId: 'crew-member', scope: { kind: 'crew', crewId: '1' }, level: 0, ...day('2026-03-05', '00:00', '24:00') };
    expect(resolveHolder(placement, [...shifts, crewOnDuty], 0, sh('2026-03-05', '10:00'))).toMatchObject({
      holderIds: [],
      skipped: [
        { level: 0, reason: LadderSkipReason.NobodyOnDuty },
        { level: 1, reason: LadderSkipReason.NobodyOnDuty },
        { level: 2, reason: LadderSkipReason.NobodyOnDuty },
      ],
    });
  });

  it('reports an unstaffed ladder at the top level with nobody holding it', () => {
    const noDept = { ...placement, departmentId: null };
    expect(resolveHolder(noDept, shifts, 0, sh('2026-03-05', '10:00'))).toEqual({
      level: EscalationLevel.Department,
      holderIds: [],
      skipped: [
        { level: 0, reason: LadderSkipReason.NobodyOnDuty },
        { level: 1, reason: LadderSkipReason.NobodyOnDuty },
        { level: 2, reason: LadderSkipReason.NoDepartmentForCategory },
      ],
    });
    expect(holdersAtLevel(noDept, shifts, 2, sh('2026-03-03', '10:00')).skipReason).toBe(LadderSkipReason.NoDepartmentForCategory);
  });

  it('gives the next deadline after each step, none at the maximum level', () => {
    const t = sh('2026-03-03', '10:00');
    expect(nextEscalationDeadline(DEFAULT_LADDER_POLICY, 0, t)).toBe(t + 30 * MINUTE_MS);
    expect(nextEscalationDeadline(DEFAULT_LADDER_POLICY, 1, t)).toBe(t + 30 * MINUTE_MS);
    expect(nextEscalationDeadline(DEFAULT_LADDER_POLICY, 2, t)).toBeNull();
  });

  it('plans the whole ladder for an unacknowledged ticket', () => {
    const t = sh('2026-03-03', '21:00');
    expect(planEscalation(placement, shifts, DEFAULT_LADDER_POLICY, t)).toEqual([
      { level: 0, holderIds: ['member-night'], skipped: [], enteredAt: t, deadline: t + 30 * MINUTE_MS },
      { level: 1, holderIds: ['leader'], skipped: [], enteredAt: t + 30 * MINUTE_MS, deadline: t + 60 * MINUTE_MS },
      { level: 2, holderIds: ['econ-staff'], skipped: [], enteredAt: t + 60 * MINUTE_MS, deadline: null },
    ]);
  });

  it('plans a skip at once: the leader is off duty at 22:00, so the department gets it immediately', () => {
    const t = sh('2026-03-03', '21:50');
    const plan = planEscalation(placement, shifts, DEFAULT_LADDER_POLICY, t);
    expect(plan.map((s) => [s.level, s.enteredAt, s.skipped])).toEqual([
      [0, t, []],
      [2, t + 30 * MINUTE_MS, [{ level: 1, reason: LadderSkipReason.NobodyOnDuty }]],
    ]);
  });

  it('runs the windows on the policy’s calendar', () => {
    const policy = { ...DEFAULT_LADDER_POLICY, calendar: compileCalendar(STANDARD_WORKING_TIME_SPEC) };
    const plan = planEscalation(placement, shifts, policy, sh('2026-03-03', '17:20'));
    expect(plan[0].deadline).toBe(sh('2026-03-04', '08:50'));
    // By then the whole ladder's shifts are over: the ticket sits at the top with nobody, to alert on.
    expect(plan).toHaveLength(2);
    expect(plan[1]).toMatchObject({
      level: 2,
      holderIds: [],
      deadline: null,
      skipped: [1, 2].map((level) => ({ level, reason: LadderSkipReason.NobodyOnDuty })),
    });
    expect(plan[1].enteredAt - plan[0].enteredAt).toBe(15.5 * HOUR_MS);
  });
});
