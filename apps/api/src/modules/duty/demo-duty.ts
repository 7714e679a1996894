import { DutyScopeKind, EscalationLevel, Role } from '@qihu/contracts';
import { DAY_MS } from '@qihu/domain';
import { EntityManager } from 'typeorm';
import { DutyTemplate, DutyTemplateSlotRow } from './duty-template.entity';
import { MATERIALISE_AHEAD_MS } from './duty.rules';
import { materialiseTemplate } from './templates.service';

type Slot = Omit<DutyTemplateSlotRow, 'id' | 'templateId'>;

const WEEK = [1, 2, 3, 4, 5, 6, 7] as const;
/** Shifts of the demo exist from this long before the seed, so "last week" has history. */
const HISTORY_MS = 7 * DAY_MS;

/**
 * The demo community's rosters, 24×7 at every level (24小时值守, 周末不打烊), deterministic so
 * that routing finds a level-0 holder in every grid at any instant of the weeks after seeding:
 *
 * - each grid, level 0: day 08:00–20:00 and night 20:00–08:00 every day. Weekdays the full-time
 *   member has the day (a part-timer as backup) and the two part-timers share the nights; at the
 *   weekend the part-timers have the days and the full-time member the Saturday night, with a
 *   微网格长 on the Sunday night;
 * - each grid, level 1: the grid leader around the clock;
 * - each department, level 2: its two staff on alternate days around the clock, each the other's backup;
 * - the two maintenance crews (维修队) between them around the clock: weekdays the first crew has
 *   the days and the second the nights, at the weekend the other way round; on each shift one
 *   member of the crew is on duty and the other is the backup, alternating by day.
 *
 * Shifts are materialised from a week before `now` (the real clock, not the seed's fixed dates)
 * to MATERIALISE_AHEAD_MS ahead; the housekeeping job carries them on.
 */
export async function seedDemoDuty(m: EntityManager, communityId: number, now: Date): Promise<{ templates: number; shifts: number }> {
  const roles: Array<{ personId: number; role: Role; gridId: number | null; microgridId: number | null; departmentId: number | null; crewId: number | null }> = await m.query(
    `SELECT ra.person_id AS personId, ra.role, ra.grid_id AS gridId, ra.microgrid_id AS microgridId, ra.department_id AS departmentId, ra.crew_id AS crewId
     FROM role_assignment ra WHERE ra.community_id = ? AND ra.revoked_at IS NULL ORDER BY ra.id`,
    [communityId],
  );
  const grids: Array<{ id: number }> = await m.query('SELECT id FROM grid WHERE community_id = ? ORDER BY code', [communityId]);
  const departments: Array<{ id: number }> = await m.query('SELECT id FROM department WHERE community_id = ? ORDER BY code', [communityId]);
  const crews: Array<{ id: number }> = await m.query('SELECT id FROM crew WHERE community_id = ? ORDER BY id', [communityId]);
  const microgridLeaders: Array<{ personId: number; gridId: number }> = await m.query(
    `SELECT ra.person_id AS personId, mg.grid_id AS gridId FROM role_assignment ra JOIN microgrid mg ON mg.id = ra.microgrid_id
     WHERE ra.community_id = ? AND ra.role = ? AND ra.revoked_at IS NULL ORDER BY ra.id`,
    [communityId, Role.MicrogridLeader],
  );
  const holders = (role: Role, where: (r: (typeof roles)[number]) => boolean) => roles.filter((r) => r.role === role && where(r)).map((r) => Number(r.personId));
  const day = (weekday: number, personId: number, backupPersonId: number | null): Slot => ({ weekday, startTime: '08:00', endTime: '20:00', personId, backupPersonId });
  const night = (weekday: number, personId: number, backupPersonId: number | null): Slot => ({ weekday, startTime: '20:00', endTime: '08:00', personId, backupPersonId });
  const allDay = (weekday: number, personId: number, backupPersonId: number | null): Slot => ({ weekday, startTime: '00:00', endTime: '00:00', personId, backupPersonId });

  const rosters: Array<{ scopeKind: DutyScopeKind; scopeId: number; level: EscalationLevel; name: string; slots: Slot[] }> = [];
  for (const { id } of grids) {
    const gridId = Number(id);
    const [member] = holders(Role.GridMember, (r) => Number(r.gridId) === gridId);
    const [partA, partB] = holders(Role.GridPartTime, (r) => Number(r.gridId) === gridId);
    const [leader] = holders(Role.GridLeader, (r) => Number(r.gridId) === gridId);
    const microgridLeader = Number(microgridLeaders.find((r) => Number(r.gridId) === gridId)!.personId);
    rosters.push({
      scopeKind: DutyScopeKind.Grid,
      scopeId: gridId,
      level: EscalationLevel.GridMember,
      name: '网格员昼夜轮班',
      slots: [
        ...[1, 2, 3, 4, 5].flatMap((d) => [day(d, member, partA), night(d, d % 2 === 1 ? partA : partB, member)]),
        day(6, partA, member),
        night(6, member, partB),
        day(7, partB, member),
        night(7, microgridLeader, partA),
      ],
    });
    rosters.push({ scopeKind: DutyScopeKind.Grid, scopeId: gridId, level: EscalationLevel.GridLeader, name: '网格长全天值守', slots: WEEK.map((d) => allDay(d, leader, null)) });
  }
  for (const { id } of departments) {
    const departmentId = Number(id);
    const [first, second] = holders(Role.DeptStaff, (r) => Number(r.departmentId) === departmentId);
    rosters.push({
      scopeKind: DutyScopeKind.Department,
      scopeId: departmentId,
      level: EscalationLevel.Department,
      name: '部门轮流值守',
      slots: WEEK.map((d) => (d % 2 === 1 ? allDay(d, first, second) : allDay(d, second, first))),
    });
  }
  const [dayCrew, nightCrew] = crews.map(({ id }) => {
    const crewId = Number(id);
    const [first, second] = holders(Role.CrewMember, (r) => Number(r.crewId) === crewId);
    // Who of the two is on duty that day; the other stands by.
    const pair = (weekday: number): [number, number] => (weekday % 2 === 1 ? [first, second] : [second, first]);
    return { crewId, slots: [] as Slot[], pair };
  });
  for (const d of WEEK) {
    const [daytime, nighttime] = d <= 5 ? [dayCrew, nightCrew] : [nightCrew, dayCrew];
    daytime.slots.push(day(d, ...daytime.pair(d)));
    nighttime.slots.push(night(d, ...nighttime.pair(d)));
  }
  for (const crew of [dayCrew, nightCrew]) {
    rosters.push({ scopeKind: DutyScopeKind.Crew, scopeId: crew.crewId, level: EscalationLevel.GridMember, name: '维修队昼夜值班', slots: crew.slots });
  }

  let shifts = 0;
  const window = { start: now.getTime() - HISTORY_MS, end: now.getTime() + MATERIALISE_AHEAD_MS };
  for (const roster of rosters) {
    const template = await m.save(
      m.create(DutyTemplate, {
        communityId,
        scopeKind: roster.scopeKind,
        scopeId: roster.scopeId,
        level: roster.level,
        name: roster.name,
        materialisedUntil: now,
        createdBy: null,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      }),
    );
    await m.insert(DutyTemplateSlotRow, roster.slots.map((s) => ({ ...s, templateId: template.id })));
    shifts += await materialiseTemplate(m, template, window, 'fresh', now);
  }
  return { templates: rosters.length, shifts };
}
