import { DUTY_DAY_KIND_LABEL, DutyAlertResolution, DutyJobName, DutyScopeKind, DutyShiftView, DutySwapStatus, ErrorCode, EscalationLevel, NotificationKind, QueueName, Role, ShiftSource } from '@qihu/contracts';
import { chineseDayKind, HOUR_MS, isoWeekdayOfDay, MINUTE_MS, parseClockTime, shanghaiDateOfDay, shanghaiDayNumber, shanghaiMidnight } from '@qihu/domain';
import { FindOptionsWhere, IsNull } from 'typeorm';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import request from 'supertest';
import { ChangeBus, ChangeTopic } from '../src/infra/cache/change-bus';
import { TransactionRunner } from '../src/infra/database/transaction';
import { Person } from '../src/modules/identity/person.entity';
import { RoleAssignment } from '../src/modules/identity/role-assignment.entity';
import { DutyAlert } from '../src/modules/duty/duty-alert.entity';
import { DutyShiftRow } from '../src/modules/duty/duty-shift.entity';
import { HOUSEKEEPING_EVERY_MS, HOUSEKEEPING_SCHEDULER_ID } from '../src/modules/duty/jobs/housekeeping.processor';
import { CrewOnDuty, DutyPlacement, DutyService } from '../src/modules/duty/duty.service';
import { DutyTemplatesService } from '../src/modules/duty/templates.service';
import { Crew } from '../src/modules/org/crew.entity';
import { Department } from '../src/modules/org/department.entity';
import { Grid } from '../src/modules/org/grid.entity';
import { Microgrid } from '../src/modules/org/microgrid.entity';
import { OtherCommunity, seedOtherCommunity } from './fixtures';
import { Actor, startTestApp, TestApp } from './harness';

/** Instants by Shanghai day offset from today and wall-clock time, as the rosters are written. */
const today = shanghaiDayNumber(Date.now());
const at = (dayOffset: number, time: string) => shanghaiMidnight(today + dayOffset) + parseClockTime(time);
const iso = (ms: number) => new Date(ms).toISOString();
/** The first day offset ≥ `from` whose Shanghai weekday is one of `weekdays`. */
const nextDay = (from: number, weekdays: number[]) => {
  for (let d = from; ; d++) if (weekdays.includes(isoWeekdayOfDay(today + d))) return d;
};
const WORKDAYS = [1, 2, 3, 4, 5];

describe('duty rosters (e2e)', () => {
  let t: TestApp;
  let duty: DutyService;
  let transactions: TransactionRunner;
  let other: OtherCommunity;
  let communityId: number;
  let grid1: Grid, grid2: Grid, grid3: Grid;
  let mg1: Microgrid, mg2: Microgrid, mg3InGrid3: Microgrid;
  let economy: Department, emergency: Department;
  let crew1: Crew, crew2: Crew;
  let admin: Actor, leader1: Actor, leader2: Actor, member1: Actor, partA1: Actor, partB1: Actor, member2: Actor;
  let mgLeaderA: Actor, mgLeaderB: Actor, mg2LeaderA: Actor, mg2LeaderB: Actor, economyA: Actor, economyB: Actor, contact: Actor;
  let crew1A: Actor, crew1B: Actor, crew2A: Actor, crew2B: Actor;
  let second: (role: Role, where: FindOptionsWhere<RoleAssignment>) => Promise<Actor>;

  const http = () => request(t.app.getHttpServer());
  const get = (actor: Actor, path: string) => http().get(`/api/v1/duty${path}`).set('Authorization', actor.auth);
  const post = (actor: Actor, path: string, body: object = {}) => http().post(`/api/v1/duty${path}`).set('Authorization', actor.auth).send(body);
  const placement = (grid: Grid, microgrid: Microgrid | null, departmentId: number | null): DutyPlacement => ({ communityId, gridId: grid.id, microgridId: microgrid?.id ?? null, departmentId });
  const holders = (p: DutyPlacement, level: EscalationLevel, instant: number) => duty.holdersFrom(t.db.manager, p, level, new Date(instant));
  /** Live shifts of one roster covering an instant. */
  const shiftsAt = (kind: DutyScopeKind, scopeId: number, level: EscalationLevel, instant: number) =>
    t.db
      .getRepository(DutyShiftRow)
      .createQueryBuilder('s')
      .where('s.scope_kind = :kind AND s.scope_id = :scopeId AND s.level = :level AND s.cancelled_at IS NULL', { kind, scopeId, level })
      .andWhere('s.starts_at <= :at AND s.ends_at > :at', { at: new Date(instant) })
      .orderBy('s.id')
      .getMany();

  beforeAll(async () => {
    t = await startTestApp();
    duty = t.app.get(DutyService);
    transactions = t.app.get(TransactionRunner);
    [grid1, grid2, grid3] = await t.db.getRepository(Grid).find({ order: { code: 'ASC' } });
    communityId = grid1.communityId;
    [mg1, mg2] = await t.db.getRepository(Microgrid).find({ where: { gridId: grid1.id }, order: { code: 'ASC' }, take: 2 });
    [mg3InGrid3] = await t.db.getRepository(Microgrid).find({ where: { gridId: grid3.id }, order: { code: 'ASC' }, take: 1 });
    economy = await t.db.getRepository(Department).findOneByOrFail({ communityId, code: 'economy' });
    emergency = await t.db.getRepository(Department).findOneByOrFail({ communityId, code: 'emergency' });
    second = async (role: Role, where: FindOptionsWhere<RoleAssignment>) => {
      const [, b] = await t.db.getRepository(RoleAssignment).find({ where: { role, ...where }, order: { id: 'ASC' }, take: 2 });
      return t.as(role, { id: b.id });
    };
    admin = await t.as(Role.CommunityAdmin);
    leader1 = await t.as(Role.GridLeader, { gridId: grid1.id });
    leader2 = await t.as(Role.GridLeader, { gridId: grid2.id });
    member1 = await t.as(Role.GridMember, { gridId: grid1.id });
    member2 = await t.as(Role.GridMember, { gridId: grid2.id });
    partA1 = await t.as(Role.GridPartTime, { gridId: grid1.id });
    partB1 = await second(Role.GridPartTime, { gridId: grid1.id });
    mgLeaderA = await t.as(Role.MicrogridLeader, { microgridId: mg1.id });
    mgLeaderB = await second(Role.MicrogridLeader, { microgridId: mg1.id });
    mg2LeaderA = await t.as(Role.MicrogridLeader, { microgridId: mg2.id });
    mg2LeaderB = await second(Role.MicrogridLeader, { microgridId: mg2.id });
    economyA = await t.as(Role.DeptStaff, { departmentId: economy.id });
    economyB = await second(Role.DeptStaff, { departmentId: economy.id });
    contact = await t.as(Role.FirmContact);
    [crew1, crew2] = await t.db.getRepository(Crew).find({ where: { communityId }, order: { id: 'ASC' } });
    crew1A = await t.as(Role.CrewMember, { crewId: crew1.id });
    crew1B = await second(Role.CrewMember, { crewId: crew1.id });
    crew2A = await t.as(Role.CrewMember, { crewId: crew2.id });
    crew2B = await second(Role.CrewMember, { crewId: crew2.id });
    other = await seedOtherCommunity(t.db);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('the demo rosters', () => {
    it('put someone on duty at every level of every demo grid at any instant of the next weeks', async () => {
      for (const grid of [grid1, grid2, grid3]) {
        for (const instant of [Date.now(), at(1, '07:59'), at(3, '20:00'), at(6, '03:00'), at(13, '12:00'), at(20, '23:59')]) {
          const level0 = await holders(placement(grid, null, economy.id), EscalationLevel.GridMember, instant);
          expect(level0).toMatchObject({ level: EscalationLevel.GridMember, skipped: [] });
          expect(level0.holderIds.length).toBeGreaterThanOrEqual(1);
          const level1 = await holders(placement(grid, null, economy.id), EscalationLevel.GridLeader, instant);
          expect(level1.level).toBe(EscalationLevel.GridLeader);
          expect(level1.holderIds).toHaveLength(1);
        }
      }
    });

    it('report 24-hour cover for the next 7 days for every grid and department, and the crews over their hours', async () => {
      const res = await get(admin, '/coverage?days=7').expect(200);
      const rows = res.body.scopes.map((s: { scopeKind: string; scopeName: string; level: number; fullyCovered: boolean }) => [s.scopeKind, s.scopeName, s.level, s.fullyCovered]);
      expect(rows).toEqual([
        ['grid', '第一网格', 0, true],
        ['grid', '第一网格', 1, true],
        ['grid', '第二网格', 0, true],
        ['grid', '第二网格', 1, true],
        ['grid', '第三网格', 0, true],
        ['grid', '第三网格', 1, true],
        ['department', '经济发展办公室', 2, true],
        ['department', '应急管理办公室', 2, true],
        ['crew', '机电维修一队', 0, true],
        ['crew', '设备抢修二队', 0, true],
      ]);
    });

    it('are carried on by the hourly housekeeping job, scheduled on the duty queue', async () => {
      const schedulers = await t.app.get<Queue>(getQueueToken(QueueName.Duty)).getJobSchedulers();
      expect(schedulers).toEqual([expect.objectContaining({ key: HOUSEKEEPING_SCHEDULER_ID, name: DutyJobName.Housekeeping, every: HOUSEKEEPING_EVERY_MS })]);
    });

    it('GET /duty/now shows each level of the grid, grid staff defaulting to their own grid', async () => {
      const res = await get(member1, '/now').expect(200);
      expect(res.body).toMatchObject({ gridId: grid1.id, gridName: '第一网格' });
      const [l0, l1, l2] = res.body.levels;
      expect(l0.level).toBe(0);
      expect(l0.onDuty.length).toBeGreaterThanOrEqual(1);
      expect(l1.onDuty).toEqual([expect.objectContaining({ personId: leader1.personId, scopeName: '第一网格' })]);
      expect(l2.onDuty.map((p: { scopeName: string }) => p.scopeName).sort()).toEqual(['应急管理办公室', '经济发展办公室']);
      await get(admin, '/now').expect(400);
      expect((await get(admin, `/now?gridId=${grid2.id}`).expect(200)).body.gridName).toBe('第二网格');
      expect((await get(member1, `/now?gridId=${grid2.id}`).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
    });
  });

  describe('permissions', () => {
    const d = nextDay(2, WORKDAYS);
    const body = (grid: Grid, personId: number, level = EscalationLevel.GridMember) => ({
      scopeKind: DutyScopeKind.Grid,
      scopeId: grid.id,
      level,
      personId,
      startsAt: iso(at(d, '10:00')),
      endsAt: iso(at(d, '11:00')),
    });

    it('refuses roles without a roster (403) and members managing rosters (403)', async () => {
      expect((await get(contact, '/shifts').expect(403)).body.code).toBe(ErrorCode.Forbidden);
      expect((await post(member1, '/shifts', body(grid1, partB1.personId)).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      expect((await get(leader1, '/alerts').expect(403)).body.code).toBe(ErrorCode.Forbidden);
    });

    it('answers 404 for another grid or community, 403 for a roster read but not managed', async () => {
      expect((await post(leader1, '/shifts', body(grid2, member2.personId)).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
      expect((await get(leader1, `/shifts?scopeKind=grid&scopeId=${grid2.id}`).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
      const otherAdmin = await t.as(Role.CommunityAdmin, { communityId: other.communityId });
      expect((await get(otherAdmin, `/shifts?scopeKind=grid&scopeId=${grid1.id}`).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
      const emergencyShift = { scopeKind: DutyScopeKind.Department, scopeId: emergency.id, level: EscalationLevel.Department, personId: economyA.personId, startsAt: iso(at(d, '10:00')), endsAt: iso(at(d, '11:00')) };
      expect((await post(economyA, '/shifts', emergencyShift).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      const [someShift] = await shiftsAt(DutyScopeKind.Grid, grid2.id, EscalationLevel.GridMember, at(d, '10:00'));
      expect((await http().delete(`/api/v1/duty/shifts/${someShift.id}`).set('Authorization', leader1.auth).expect(404)).body.code).toBe(ErrorCode.ShiftNotFound);
    });

    it('lets a 网格长 read his grid, its micro-grids, the departments and the crews, and no other grid', async () => {
      const res = await get(leader1, `/shifts?from=${iso(at(d, '00:00'))}&to=${iso(at(d + 1, '00:00'))}`).expect(200);
      const scopes = new Set(res.body.map((s: DutyShiftView) => `${s.scopeKind}:${s.scopeId}`));
      expect(scopes).toEqual(new Set([`grid:${grid1.id}`, `department:${economy.id}`, `department:${emergency.id}`, `crew:${crew1.id}`, `crew:${crew2.id}`]));
    });
  });

  describe('manual shifts', () => {
    const d = nextDay(2, WORKDAYS);
    const manual = (over: object = {}) => ({
      scopeKind: DutyScopeKind.Grid,
      scopeId: grid1.id,
      level: EscalationLevel.GridMember,
      personId: partB1.personId,
      startsAt: iso(at(d, '10:00')),
      endsAt: iso(at(d, '12:00')),
      note: '企业走访加班',
      ...over,
    });

    it('refuses bad input with a Chinese message naming the person, and writes nothing', async () => {
      const before = await t.db.getRepository(DutyShiftRow).count();
      const endBeforeStart = await post(leader1, '/shifts', manual({ endsAt: iso(at(d, '09:00')) })).expect(400);
      expect(endBeforeStart.body).toMatchObject({ code: ErrorCode.ValidationFailed, message: '结束时间须晚于开始时间' });
      const notLeader = await post(admin, '/shifts', manual({ level: EscalationLevel.GridLeader })).expect(400);
      const partBName = (await t.db.query('SELECT name FROM person WHERE id = ?', [partB1.personId]))[0].name;
      expect(notLeader.body.message).toBe(`${partBName} 不是第一网格的网格长，不能排入网格长值班`);
      const otherGrid = await post(admin, '/shifts', manual({ personId: member2.personId })).expect(400);
      expect(otherGrid.body.message).toContain('不是第一网格的专职网格员、兼职网格员或微网格长');
      expect((await post(admin, '/shifts', manual({ level: EscalationLevel.Department })).expect(400)).body.message).toContain('只有');
      expect((await post(admin, '/shifts', manual({ personId: 999999 })).expect(400)).body.message).toBe('人员 #999999 不存在');
      expect((await post(admin, '/shifts', manual({ startsAt: iso(Date.now() - 3 * HOUR_MS), endsAt: iso(Date.now() - HOUR_MS) })).expect(400)).body.message).toBe('不能安排已结束的班次');
      expect((await post(admin, '/shifts', manual({ backupPersonId: partB1.personId })).expect(400)).body.message).toBe('备班人员不能与值班人员相同');
      expect((await post(admin, '/shifts', manual({ startsAt: 'tomorrow' })).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
      expect(await t.db.getRepository(DutyShiftRow).count()).toBe(before);
    });

    it('creates once (a retry answers the same shift), lists it as mine, and cancels it', async () => {
      const first = await post(leader1, '/shifts', manual()).expect(201);
      expect(first.body).toMatchObject({ source: ShiftSource.Manual, personId: partB1.personId, scopeName: '第一网格', levelLabel: '网格员', startsAt: iso(at(d, '10:00')), note: '企业走访加班' });
      const retry = await post(leader1, '/shifts', manual()).expect(201);
      expect(retry.body.id).toBe(first.body.id);
      const mine = await get(partB1, `/shifts?mine=true&from=${iso(at(d, '00:00'))}&to=${iso(at(d + 1, '00:00'))}`).expect(200);
      expect(mine.body.map((s: DutyShiftView) => s.id)).toContain(first.body.id);
      const cancelled = await http().delete(`/api/v1/duty/shifts/${first.body.id}`).set('Authorization', leader1.auth).expect(200);
      expect(cancelled.body.cancelledAt).not.toBeNull();
      const again = await http().delete(`/api/v1/duty/shifts/${first.body.id}`).set('Authorization', leader1.auth).expect(200);
      expect(again.body.cancelledAt).toBe(cancelled.body.cancelledAt);
      const after = await get(partB1, `/shifts?mine=true&from=${iso(at(d, '00:00'))}&to=${iso(at(d + 1, '00:00'))}`).expect(200);
      expect(after.body.map((s: DutyShiftView) => s.id)).not.toContain(first.body.id);
    });
  });

  describe('weekly templates', () => {
    // Micro-grid 1 of grid 1 has no roster in the demo: its leaders get one.
    const nightDay = nextDay(2, [1, 2, 3, 4, 5, 6, 7]);
    const nightWeekday = isoWeekdayOfDay(today + nightDay);
    const earlyWeekday = isoWeekdayOfDay(today + nightDay + 2);
    let templateId: number;
    const slots = () => [
      { weekday: nightWeekday, start: '20:00', end: '08:00', personId: mgLeaderA.personId, backupPersonId: mgLeaderB.personId },
      { weekday: earlyWeekday, start: '00:00', end: '08:00', personId: mgLeaderB.personId },
    ];
    const template = () => ({ scopeKind: DutyScopeKind.Microgrid, scopeId: mg1.id, level: EscalationLevel.GridMember, name: '微网格夜班', slots: slots() });
    const rosterShifts = async (includeCancelled = false) =>
      (await get(leader1, `/shifts?scopeKind=microgrid&scopeId=${mg1.id}&from=${iso(Date.now())}&to=${iso(Date.now() + 22 * 24 * HOUR_MS)}&includeCancelled=${includeCancelled}`).expect(200)).body as DutyShiftView[];

    it('materialises at once, Shanghai wall clock stored as UTC, a night crossing midnight included', async () => {
      const res = await post(leader1, '/templates', template()).expect(201);
      templateId = res.body.id;
      expect(res.body).toMatchObject({ scopeName: mg1.name, levelLabel: '网格员', name: '微网格夜班' });
      expect(res.body.slots).toEqual(
        expect.arrayContaining([expect.objectContaining({ weekday: nightWeekday, start: '20:00', end: '08:00', personId: mgLeaderA.personId, backupPersonId: mgLeaderB.personId })]),
      );
      expect(Date.parse(res.body.materialisedUntil) - Date.now()).toBeGreaterThan(20 * 24 * HOUR_MS);
      const shifts = await rosterShifts();
      const nights = shifts.filter((s) => s.personId === mgLeaderA.personId);
      expect(nights[0]).toMatchObject({ startsAt: iso(at(nightDay, '20:00')), endsAt: iso(at(nightDay + 1, '08:00')), backupPersonId: mgLeaderB.personId, source: ShiftSource.Template, templateId });
      expect(nights[1].startsAt).toBe(iso(at(nightDay + 7, '20:00')));
      // 00:00 Shanghai is 16:00 UTC the day before.
      const early = shifts.find((s) => s.personId === mgLeaderB.personId && s.startsAt === iso(at(nightDay + 2, '00:00')))!;
      expect(early.startsAt.slice(11)).toBe('16:00:00.000Z');
      expect(early.endsAt).toBe(iso(at(nightDay + 2, '08:00')));
      const start = Date.parse(nights[0].startsAt);
      expect(await holders(placement(grid1, mg1, null), EscalationLevel.GridMember, start + HOUR_MS)).toMatchObject({ level: 0 });
      expect((await holders(placement(grid1, mg1, null), EscalationLevel.GridMember, start + HOUR_MS)).holderIds).toEqual(expect.arrayContaining([mgLeaderA.personId, mgLeaderB.personId]));
    });

    it('answers the same template again with the existing one, a different one with 409', async () => {
      expect((await post(leader1, '/templates', template()).expect(201)).body.id).toBe(templateId);
      const different = await post(leader1, '/templates', { ...template(), slots: slots().slice(0, 1) }).expect(409);
      expect(different.body).toMatchObject({ code: ErrorCode.AlreadyExists, details: { templateId } });
      expect((await post(leader2, '/templates', template()).expect(404)).body.code).toBe(ErrorCode.MicrogridNotFound);
      expect((await get(leader1, `/templates?scopeKind=microgrid&scopeId=${mg1.id}`).expect(200)).body.map((x: { id: number }) => x.id)).toEqual([templateId]);
    });

    it('an edit replaces the future shifts it made, and leaves an override alone', async () => {
      const override = await post(leader1, '/overrides', {
        scopeKind: DutyScopeKind.Microgrid,
        scopeId: mg1.id,
        level: EscalationLevel.GridMember,
        personId: mgLeaderB.personId,
        startsAt: iso(at(nightDay + 7, '22:00')),
        endsAt: iso(at(nightDay + 8, '02:00')),
      }).expect(201);
      const edited = slots().map((s, i) => (i === 0 ? { ...s, personId: mgLeaderB.personId, backupPersonId: mgLeaderA.personId } : s));
      await http().put(`/api/v1/duty/templates/${templateId}`).set('Authorization', leader1.auth).send({ slots: edited }).expect(200);
      const live = await rosterShifts();
      expect(live.filter((s) => s.personId === mgLeaderA.personId)).toEqual([]);
      // The week-2 night is cut around the override, which is still there.
      const week2 = live.filter((s) => s.startsAt >= iso(at(nightDay + 7, '20:00')) && s.startsAt < iso(at(nightDay + 8, '08:00')));
      expect(week2.map((s) => [s.startsAt, s.endsAt, s.source])).toEqual([
        [iso(at(nightDay + 7, '20:00')), iso(at(nightDay + 7, '22:00')), ShiftSource.Template],
        [iso(at(nightDay + 7, '22:00')), iso(at(nightDay + 8, '02:00')), ShiftSource.Override],
        [iso(at(nightDay + 8, '02:00')), iso(at(nightDay + 8, '08:00')), ShiftSource.Template],
      ]);
      expect(week2[1].id).toBe(override.body.id);
      const cancelled = (await rosterShifts(true)).filter((s) => s.cancelledAt !== null && s.source === ShiftSource.Template);
      expect(cancelled.length).toBeGreaterThanOrEqual(3);
      // The same edit again changes nothing.
      await http().put(`/api/v1/duty/templates/${templateId}`).set('Authorization', leader1.auth).send({ slots: edited }).expect(200);
      expect((await rosterShifts()).length).toBe(live.length);
    });

    it('housekeeping extends templates as time moves on, without duplicating shifts', async () => {
      const templates = t.app.get(DutyTemplatesService);
      await templates.materialiseDue(new Date(Date.now() + 7 * 24 * HOUR_MS));
      const after = await t.db.query(
        "SELECT starts_at AS startsAt FROM duty_shift WHERE scope_kind = 'microgrid' AND scope_id = ? AND cancelled_at IS NULL AND starts_at >= ?",
        [mg1.id, new Date(at(nightDay + 21, '00:00'))],
      );
      expect(after.map((r: { startsAt: Date }) => r.startsAt.toISOString())).toContain(iso(at(nightDay + 21, '20:00')));
      const starts = async () => (await t.db.query("SELECT starts_at AS s FROM duty_shift WHERE scope_kind = 'microgrid' AND scope_id = ? AND cancelled_at IS NULL", [mg1.id])).map((r: { s: Date }) => r.s.getTime());
      const extended = await starts();
      expect(new Set(extended).size).toBe(extended.length);
      await templates.materialiseDue(new Date(Date.now() + 7 * 24 * HOUR_MS));
      expect(await starts()).toEqual(extended);
    });

    it('deleting the template cancels its future shifts; deleting twice is fine', async () => {
      await http().delete(`/api/v1/duty/templates/${templateId}`).set('Authorization', leader1.auth).expect(204);
      await http().delete(`/api/v1/duty/templates/${templateId}`).set('Authorization', leader1.auth).expect(204);
      expect((await rosterShifts()).map((s) => s.source)).toEqual([ShiftSource.Override]);
      expect((await get(leader1, `/templates/${templateId}`).expect(404)).body.code).toBe(ErrorCode.DutyTemplateNotFound);
    });
  });

  describe('overrides (替班)', () => {
    const d = nextDay(2, WORKDAYS);

    it('split the shift they fall into, and routing follows', async () => {
      const [day] = await shiftsAt(DutyScopeKind.Grid, grid1.id, EscalationLevel.GridMember, at(d, '12:30'));
      expect(day).toMatchObject({ personId: member1.personId, backupPersonId: partA1.personId });
      const res = await post(leader1, '/overrides', {
        scopeKind: DutyScopeKind.Grid,
        scopeId: grid1.id,
        level: EscalationLevel.GridMember,
        personId: partB1.personId,
        startsAt: iso(at(d, '12:00')),
        endsAt: iso(at(d, '14:00')),
        note: '张网格员外出培训',
      }).expect(201);
      expect(res.body.source).toBe(ShiftSource.Override);
      const around = (await get(leader1, `/shifts?scopeKind=grid&scopeId=${grid1.id}&level=0&from=${iso(at(d, '08:00'))}&to=${iso(at(d, '20:00'))}`).expect(200)).body as DutyShiftView[];
      expect(around.map((s) => [s.startsAt, s.endsAt, s.personId, s.source])).toEqual([
        [iso(at(d, '08:00')), iso(at(d, '12:00')), member1.personId, ShiftSource.Template],
        [iso(at(d, '12:00')), iso(at(d, '14:00')), partB1.personId, ShiftSource.Override],
        [iso(at(d, '14:00')), iso(at(d, '20:00')), member1.personId, ShiftSource.Template],
      ]);
      expect((await holders(placement(grid1, null, null), EscalationLevel.GridMember, at(d, '13:00'))).holderIds).toEqual([partB1.personId]);
      expect((await holders(placement(grid1, null, null), EscalationLevel.GridMember, at(d, '15:00'))).holderIds).toEqual([member1.personId, partA1.personId]);
      // A retry answers the same override and cuts nothing more.
      expect((await post(leader1, '/overrides', { scopeKind: 'grid', scopeId: grid1.id, level: 0, personId: partB1.personId, startsAt: iso(at(d, '12:00')), endsAt: iso(at(d, '14:00')) }).expect(201)).body.id).toBe(res.body.id);
    });

    it('may not start in the past', async () => {
      const late = await post(leader1, '/overrides', { scopeKind: 'grid', scopeId: grid1.id, level: 0, personId: partB1.personId, startsAt: iso(Date.now() - HOUR_MS), endsAt: iso(Date.now() + HOUR_MS) }).expect(400);
      expect(late.body.message).toBe('替班开始时间不能早于当前时间');
    });
  });

  describe('swaps (换班)', () => {
    const d = nextDay(3, WORKDAYS);
    const memberDay = async (day: number) => (await shiftsAt(DutyScopeKind.Grid, grid1.id, EscalationLevel.GridMember, at(day, '10:00'))).find((s) => s.personId === member1.personId)!;

    it('hands a shift over when the colleague accepts; deciding again is idempotent or 409', async () => {
      const shift = await memberDay(d);
      expect((await post(partA1, '/swaps', { shiftId: shift.id, counterpartId: partB1.personId }).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      const req = await post(member1, '/swaps', { shiftId: shift.id, counterpartId: partB1.personId, note: '家中有事' }).expect(201);
      expect(req.body).toMatchObject({ status: DutySwapStatus.Pending, counterpartShift: null, requesterId: member1.personId });
      expect((await post(member1, '/swaps', { shiftId: shift.id, counterpartId: partB1.personId }).expect(201)).body.id).toBe(req.body.id);
      expect((await get(partB1, '/swaps?mine=true').expect(200)).body.map((w: { id: number }) => w.id)).toContain(req.body.id);
      expect((await post(partA1, `/swaps/${req.body.id}/accept`).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      expect((await post(member2, `/swaps/${req.body.id}/accept`).expect(404)).body.code).toBe(ErrorCode.DutySwapNotFound);
      const accepted = await post(partB1, `/swaps/${req.body.id}/accept`).expect(200);
      expect(accepted.body).toMatchObject({ status: DutySwapStatus.Accepted, shift: { id: shift.id, personId: partB1.personId, source: ShiftSource.Swap } });
      expect((await post(partB1, `/swaps/${req.body.id}/accept`).expect(200)).body.status).toBe(DutySwapStatus.Accepted);
      expect((await post(partB1, `/swaps/${req.body.id}/reject`).expect(409)).body.code).toBe(ErrorCode.DutySwapNotPending);
      expect((await holders(placement(grid1, null, null), EscalationLevel.GridMember, at(d, '10:00'))).holderIds[0]).toBe(partB1.personId);
    });

    it('exchanges two shifts on the manager’s approval after a rejection; refuses a colleague who does not fit', async () => {
      const mine = await memberDay(d + 1 + (isoWeekdayOfDay(today + d + 1) > 5 ? 2 : 0));
      const [theirs] = (await shiftsAt(DutyScopeKind.Grid, grid1.id, EscalationLevel.GridMember, at(d, '23:00'))).filter((s) => s.personId === partA1.personId || s.personId === partB1.personId);
      const counterpart = theirs.personId === partA1.personId ? partA1 : partB1;
      const misfit = await post(member1, '/swaps', { shiftId: mine.id, counterpartId: member2.personId }).expect(400);
      expect(misfit.body.message).toContain('不是第一网格的');
      const first = await post(member1, '/swaps', { shiftId: mine.id, counterpartId: counterpart.personId, counterpartShiftId: theirs.id }).expect(201);
      expect((await post(counterpart, `/swaps/${first.body.id}/reject`).expect(200)).body.status).toBe(DutySwapStatus.Rejected);
      const second = await post(member1, '/swaps', { shiftId: mine.id, counterpartId: counterpart.personId, counterpartShiftId: theirs.id }).expect(201);
      expect(second.body.id).not.toBe(first.body.id);
      expect((await get(leader1, '/swaps?status=pending').expect(200)).body.map((w: { id: number }) => w.id)).toContain(second.body.id);
      const approved = await post(leader1, `/swaps/${second.body.id}/accept`).expect(200);
      expect(approved.body.decidedBy).toBe(leader1.personId);
      expect(approved.body.shift.personId).toBe(counterpart.personId);
      expect(approved.body.counterpartShift.personId).toBe(member1.personId);
      const withdrawn = await post(member1, '/swaps', { shiftId: (await memberDay(d + 7)).id, counterpartId: partA1.personId }).expect(201);
      expect((await post(partA1, `/swaps/${withdrawn.body.id}/cancel`).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      expect((await post(member1, `/swaps/${withdrawn.body.id}/cancel`).expect(200)).body.status).toBe(DutySwapStatus.Cancelled);
    });
  });

  describe('handovers (交接班)', () => {
    let ending: DutyShiftView;
    let next: DutyShiftView;
    let handoverId: number;
    const shift = (who: Actor, start: number, end: number) =>
      post(leader1, '/shifts', { scopeKind: DutyScopeKind.Microgrid, scopeId: mg2.id, level: EscalationLevel.GridMember, personId: who.personId, startsAt: iso(start), endsAt: iso(end) }).expect(201);

    beforeAll(async () => {
      const end = Date.now() + 30 * MINUTE_MS;
      ending = (await shift(mg2LeaderA, Date.now() - 2 * HOUR_MS, end)).body;
      next = (await shift(mg2LeaderB, end, end + 4 * HOUR_MS)).body;
    });

    it('are written near the end of one’s own shift, and rewritten until acknowledged', async () => {
      expect((await post(mg2LeaderB, '/handovers', { shiftId: ending.id, note: '代写' }).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      const tooEarly = await post(mg2LeaderB, '/handovers', { shiftId: next.id, note: '提前写' }).expect(400);
      expect(tooEarly.body.message).toBe('交接班记录须在下班前后 2 小时内填写');
      const written = await post(mg2LeaderA, '/handovers', { shiftId: ending.id, note: '恒达消防通道堵塞，已通知整改' }).expect(201);
      handoverId = written.body.id;
      const rewritten = await post(mg2LeaderA, '/handovers', { shiftId: ending.id, note: '恒达消防通道堵塞，已通知整改，明早复查' }).expect(201);
      expect(rewritten.body).toMatchObject({ id: handoverId, note: '恒达消防通道堵塞，已通知整改，明早复查', acknowledgedAt: null });
    });

    it('reach the next person on duty, who acknowledges them', async () => {
      expect((await get(mg2LeaderB, '/handovers?mine=true').expect(200)).body.map((h: { id: number }) => h.id)).toEqual([handoverId]);
      expect((await get(partB1, '/handovers?mine=true').expect(200)).body).toEqual([]);
      expect((await post(partB1, `/handovers/${handoverId}/ack`).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      expect((await post(member2, `/handovers/${handoverId}/ack`).expect(404)).body.code).toBe(ErrorCode.NotFound);
      const acked = await post(mg2LeaderB, `/handovers/${handoverId}/ack`).expect(200);
      expect(acked.body).toMatchObject({ acknowledgedBy: mg2LeaderB.personId, shift: { id: ending.id } });
      expect((await post(mg2LeaderB, `/handovers/${handoverId}/ack`).expect(200)).body.acknowledgedAt).toBe(acked.body.acknowledgedAt);
      expect((await post(mg2LeaderA, '/handovers', { shiftId: ending.id, note: '补充' }).expect(409)).body.code).toBe(ErrorCode.AlreadyExists);
      expect((await get(leader1, `/handovers?scopeKind=microgrid&scopeId=${mg2.id}`).expect(200)).body.map((h: { id: number }) => h.id)).toEqual([handoverId]);
    });
  });

  describe('routing: holdersFrom', () => {
    // A night in grid 3 (the day after tomorrow) left without its roster: level 0 is skipped for the leader.
    const gapStart = at(2, '20:00');

    beforeAll(async () => {
      const [night] = await shiftsAt(DutyScopeKind.Grid, grid3.id, EscalationLevel.GridMember, gapStart + HOUR_MS);
      await http().delete(`/api/v1/duty/shifts/${night.id}`).set('Authorization', admin.auth).expect(200);
    });

    it('skips a level nobody covers, with the domain’s reason, to the next one', async () => {
      const leader3 = await t.as(Role.GridLeader, { gridId: grid3.id });
      const holding = await holders(placement(grid3, mg3InGrid3, economy.id), EscalationLevel.GridMember, gapStart + HOUR_MS);
      expect(holding).toEqual({ level: EscalationLevel.GridLeader, holderIds: [leader3.personId], skipped: [{ level: EscalationLevel.GridMember, reason: 'nobody_on_duty' }] });
      expect((await holders(placement(grid3, null, economy.id), EscalationLevel.GridMember, gapStart - HOUR_MS)).level).toBe(EscalationLevel.GridMember);
    });

    it('gives the department on duty at level 2, primary first then the backup', async () => {
      const instant = at(nextDay(1, [1]), '09:00'); // Mondays: the first of the two staff.
      expect(await holders(placement(grid1, null, economy.id), EscalationLevel.Department, instant)).toEqual({
        level: EscalationLevel.Department,
        holderIds: [economyA.personId, economyB.personId],
        skipped: [],
      });
      expect(await holders(placement(grid1, null, null), EscalationLevel.Department, instant)).toEqual({
        level: EscalationLevel.Department,
        holderIds: [],
        skipped: [{ level: EscalationLevel.Department, reason: 'no_department_for_category' }],
      });
    });

    it('says no_roster for rosters that have no shifts at all', async () => {
      const p = { communityId: other.communityId, gridId: other.gridId, microgridId: other.microgridId, departmentId: other.departmentId };
      expect(await duty.holdersFrom(t.db.manager, p, EscalationLevel.GridMember, new Date())).toEqual({
        level: EscalationLevel.Department,
        holderIds: [],
        skipped: [
          { level: EscalationLevel.GridMember, reason: 'no_roster' },
          { level: EscalationLevel.GridLeader, reason: 'no_roster' },
          { level: EscalationLevel.Department, reason: 'no_roster' },
        ],
      });
    });

    it('stops counting a person whose role was revoked; the backup stands in', async () => {
      const instant = at(nextDay(2, WORKDAYS), '10:00');
      const partA2 = await t.as(Role.GridPartTime, { gridId: grid2.id });
      expect((await holders(placement(grid2, null, null), EscalationLevel.GridMember, instant)).holderIds).toEqual([member2.personId, partA2.personId]);
      // Written past the identity service, so the caches are told as the service tells them.
      const setRevoked = async (revokedAt: Date | null) => {
        await t.db.getRepository(RoleAssignment).update({ id: member2.assignment.id }, { revokedAt });
        t.app.get(ChangeBus).publish(ChangeTopic.RoleAssignments, member2.assignment.id);
      };
      await setRevoked(new Date());
      try {
        expect((await holders(placement(grid2, null, null), EscalationLevel.GridMember, instant)).holderIds).toEqual([partA2.personId]);
      } finally {
        await setRevoked(null);
      }
    });

    it('reads the running shifts once for the minutes that follow, and again after any roster change', async () => {
      const p = placement(grid1, mg1, economy.id);
      const instant = new Date(at(nextDay(3, WORKDAYS), '10:00'));
      const manager = t.db.manager;
      const reads = jest.spyOn(manager, 'query');
      try {
        const first = await duty.holdersFrom(manager, p, EscalationLevel.GridMember, instant);
        const later = await duty.holdersFrom(manager, p, EscalationLevel.GridMember, new Date(instant.getTime() + 30_000));
        expect(later).toEqual(first);
        expect(reads).toHaveBeenCalledTimes(1);
        // Past the cache's horizon (CACHE_TTL_MS) the shifts are read again.
        await duty.holdersFrom(manager, p, EscalationLevel.GridMember, new Date(instant.getTime() + t.config.cacheTtlMs));
        expect(reads).toHaveBeenCalledTimes(2);
        // A roster change anywhere (here: announced as a shift service would) drops what was kept.
        t.app.get(ChangeBus).publish(ChangeTopic.DutyRosters, communityId);
        await duty.holdersFrom(manager, p, EscalationLevel.GridMember, instant);
        expect(reads).toHaveBeenCalledTimes(3);
      } finally {
        reads.mockRestore();
      }
    });
  });

  describe('coverage report and alerts', () => {
    const gap = { start: at(2, '20:00'), end: at(3, '08:00') };

    it('the report shows the gap with the kind of day', async () => {
      const res = await get(admin, '/coverage?days=7').expect(200);
      const grid3Level0 = res.body.scopes.find((s: { scopeId: number; scopeKind: string; level: number }) => s.scopeKind === 'grid' && s.scopeId === grid3.id && s.level === 0);
      expect(grid3Level0).toMatchObject({ fullyCovered: false, gaps: [{ start: iso(gap.start), end: iso(gap.end) }] });
      // Each uncovered day with its kind (周末, 法定节假日 …) as the Chinese calendar has it.
      const day = (offset: number) => shanghaiDateOfDay(today + offset);
      expect(grid3Level0.uncoveredDays).toEqual([
        { date: day(2), kind: chineseDayKind(day(2)), kindLabel: DUTY_DAY_KIND_LABEL[chineseDayKind(day(2))], uncoveredMinutes: 240 },
        { date: day(3), kind: chineseDayKind(day(3)), kindLabel: DUTY_DAY_KIND_LABEL[chineseDayKind(day(3))], uncoveredMinutes: 480 },
      ]);
      // A 网格长 sees his grid and the micro-grid rosters of it that exist (micro-grid 2's, from the handover test).
      const leaderView = await get(leader1, '/coverage').expect(200);
      const scopes = leaderView.body.scopes.map((s: { scopeKind: string; scopeId: number }) => `${s.scopeKind}:${s.scopeId}`);
      expect(scopes).toEqual(expect.arrayContaining([`grid:${grid1.id}`, `microgrid:${mg2.id}`]));
      expect(scopes.every((k: string) => k === `grid:${grid1.id}` || k.startsWith('microgrid:'))).toBe(true);
    });

    it('housekeeping raises each gap once, tells the admins, and resolves it when filled', async () => {
      const now = new Date();
      await duty.housekeeping(now);
      const open = () => t.db.getRepository(DutyAlert).find({ where: { resolvedAt: IsNull() }, order: { id: 'ASC' } });
      const first = await open();
      const grid3Alert = first.find((a) => a.scopeKind === DutyScopeKind.Grid && a.scopeId === grid3.id)!;
      expect(grid3Alert).toMatchObject({ level: EscalationLevel.GridMember, gapStart: new Date(gap.start), gapEnd: new Date(gap.end), communityId });
      // The other community has no rosters: its grid (levels 0 and 1) and department are wholly uncovered.
      expect(first.filter((a) => a.communityId === other.communityId).map((a) => [a.scopeKind, a.level])).toEqual([
        [DutyScopeKind.Grid, 0],
        [DutyScopeKind.Grid, 1],
        [DutyScopeKind.Department, 2],
      ]);
      expect(first.filter((a) => a.communityId === communityId)).toHaveLength(1);
      const notices = await t.db.query('SELECT person_id AS personId, kind, title FROM notification WHERE kind = ?', [NotificationKind.DutyCoverageGap]);
      expect(notices).toEqual(expect.arrayContaining([expect.objectContaining({ personId: admin.personId, title: '值班缺口：第三网格网格员' })]));

      await duty.housekeeping(new Date(now.getTime() + MINUTE_MS));
      expect((await open()).map((a) => a.id)).toEqual(first.map((a) => a.id));
      const listed = await get(admin, '/alerts').expect(200);
      expect(listed.body).toEqual([expect.objectContaining({ id: grid3Alert.id, scopeName: '第三网格', levelLabel: '网格员', origin: 'coverage', resolvedAt: null })]);

      await post(admin, '/overrides', { scopeKind: 'grid', scopeId: grid3.id, level: 0, personId: (await t.as(Role.GridMember, { gridId: grid3.id })).personId, startsAt: iso(gap.start), endsAt: iso(gap.end) }).expect(201);
      await duty.housekeeping(new Date(now.getTime() + 2 * MINUTE_MS));
      const filled = await t.db.getRepository(DutyAlert).findOneByOrFail({ id: grid3Alert.id });
      expect(filled.resolution).toBe(DutyAlertResolution.Filled);
      expect((await get(admin, '/alerts').expect(200)).body).toEqual([]);
      expect((await get(admin, '/alerts?open=false').expect(200)).body.map((a: { id: number }) => a.id)).toContain(grid3Alert.id);
    });

    it('routing records the gap it met once, inside the caller’s transaction', async () => {
      const instant = new Date(at(nextDay(3, [3]), '03:00'));
      const [night] = await shiftsAt(DutyScopeKind.Grid, grid2.id, EscalationLevel.GridMember, instant.getTime());
      await http().delete(`/api/v1/duty/shifts/${night.id}`).set('Authorization', admin.auth).expect(200);
      const gapInput = { communityId, scopeKind: DutyScopeKind.Grid, scopeId: grid2.id, level: EscalationLevel.GridMember, at: instant };
      const first = await transactions.run((tx) => duty.raiseRoutingGap(tx, gapInput));
      expect(first.raised).toBe(true);
      const again = await transactions.run((tx) => duty.raiseRoutingGap(tx, { ...gapInput, at: new Date(instant.getTime() + MINUTE_MS) }));
      expect(again).toEqual({ alertId: first.alertId, raised: false });
      const alert = await t.db.getRepository(DutyAlert).findOneByOrFail({ id: first.alertId });
      expect(alert).toMatchObject({ origin: 'routing', gapStart: instant, gapEnd: night.endsAt, resolvedAt: null });
    });
  });
  describe('maintenance crew rosters (维修队)', () => {
    let crew3: Crew, crew4: Crew;
    let crew3A: Actor, crew3B: Actor;
    let crew3TemplateId: number;
    const crewsAt = (instant: number): Promise<CrewOnDuty[]> => duty.crewsOnDuty(t.db.manager, communityId, new Date(instant));
    /** The demo crew member on duty first that day: the first of the two on odd weekdays. */
    const pairOn = (dayOffset: number, a: Actor, b: Actor) => (isoWeekdayOfDay(today + dayOffset) % 2 === 1 ? [a.personId, b.personId] : [b.personId, a.personId]);
    // Crew 3 (made here) has weekday nights; crew 4 has no roster at all.
    const nights = () => WORKDAYS.map((weekday) => ({ weekday, start: '20:00', end: '08:00', personId: crew3A.personId, backupPersonId: crew3B.personId }));
    const gapDay = nextDay(2, WORKDAYS);
    const swapDay = nextDay(gapDay + 1, WORKDAYS);
    const crewShift = (personId: number, over: object = {}) => ({ scopeKind: DutyScopeKind.Crew, scopeId: crew3.id, level: EscalationLevel.GridMember, personId, startsAt: iso(at(gapDay, '10:00')), endsAt: iso(at(gapDay, '11:00')), ...over });
    const nameOf = async (personId: number) => (await t.db.query('SELECT name FROM person WHERE id = ?', [personId]))[0].name as string;

    beforeAll(async () => {
      const m = t.db.manager;
      const now = new Date();
      const addCrew = async (name: string, members: number) => {
        const crew = await m.save(m.create(Crew, { communityId, name, createdAt: now }));
        for (let i = 0; i < members; i++) {
          const { identifiers: [{ id: personId }] } = await m.insert(Person, { name: `${name.slice(0, 2)}师傅${i + 1}`, phone: `1360000${crew.id}${i}`.slice(0, 11), openid: null, unionid: null, createdAt: now, updatedAt: now });
          await m.insert(RoleAssignment, { personId, role: Role.CrewMember, communityId, gridId: null, microgridId: null, firmId: null, departmentId: null, crewId: crew.id, createdAt: now, revokedAt: null });
        }
        return crew;
      };
      crew3 = await addCrew('管道维修三队', 2);
      crew4 = await addCrew('备用维修队', 1);
      crew3A = await t.as(Role.CrewMember, { crewId: crew3.id });
      crew3B = await second(Role.CrewMember, { crewId: crew3.id });
    });

    it('the demo crews share 24×7 between them: crewsOnDuty gives the one on duty, both its members, primary first', async () => {
      const weekday = nextDay(1, WORKDAYS);
      const friday = nextDay(1, [5]);
      const saturday = nextDay(1, [6]);
      const sunday = nextDay(1, [7]);
      expect(await crewsAt(at(weekday, '10:00'))).toEqual([{ crewId: crew1.id, personIds: pairOn(weekday, crew1A, crew1B) }]);
      expect(await crewsAt(at(weekday, '23:00'))).toEqual([{ crewId: crew2.id, personIds: pairOn(weekday, crew2A, crew2B) }]);
      // The weekend the other way round: the second crew from Friday night through Saturday day, the first Saturday night.
      expect((await crewsAt(at(friday, '23:00'))).map((c) => c.crewId)).toEqual([crew2.id]);
      expect((await crewsAt(at(saturday, '10:00'))).map((c) => c.crewId)).toEqual([crew2.id]);
      expect((await crewsAt(at(saturday, '21:00'))).map((c) => c.crewId)).toEqual([crew1.id]);
      expect((await crewsAt(at(sunday, '12:00'))).map((c) => c.crewId)).toEqual([crew2.id]);
      expect((await crewsAt(at(sunday + 1, '07:59'))).map((c) => c.crewId)).toEqual([crew1.id]);
      // Exactly one crew on duty at any instant of the next three weeks, each with someone on every shift.
      for (let instant = Date.now(); instant < at(20, '00:00'); instant += 193 * MINUTE_MS) {
        const onDuty = await crewsAt(instant);
        expect(onDuty).toHaveLength(1);
        expect(onDuty[0].personIds).toHaveLength(2);
      }
    });

    it('crewsOnDuty counts only crew members: a revoked member’s backup stands in', async () => {
      const instant = at(nextDay(1, WORKDAYS), '10:00');
      const [primary, backup] = (await crewsAt(instant))[0].personIds;
      const revoked = primary === crew1A.personId ? crew1A : crew1B;
      await t.db.getRepository(RoleAssignment).update({ id: revoked.assignment.id }, { revokedAt: new Date() });
      try {
        expect(await crewsAt(instant)).toEqual([{ crewId: crew1.id, personIds: [backup] }]);
      } finally {
        await t.db.getRepository(RoleAssignment).update({ id: revoked.assignment.id }, { revokedAt: null });
      }
    });

    it('a weekly template for a crew materialises its shifts; crewsOnDuty then gives both crews on duty', async () => {
      const res = await post(admin, '/templates', { scopeKind: DutyScopeKind.Crew, scopeId: crew3.id, level: EscalationLevel.GridMember, name: '三队夜班', slots: nights() }).expect(201);
      crew3TemplateId = res.body.id;
      expect(res.body).toMatchObject({ scopeKind: 'crew', scopeName: '管道维修三队', levelLabel: '维修人员', name: '三队夜班' });
      const shifts = await shiftsAt(DutyScopeKind.Crew, crew3.id, EscalationLevel.GridMember, at(gapDay, '23:00'));
      expect(shifts).toEqual([expect.objectContaining({ personId: crew3A.personId, backupPersonId: crew3B.personId, startsAt: new Date(at(gapDay, '20:00')), endsAt: new Date(at(gapDay + 1, '08:00')), templateId: crew3TemplateId })]);
      expect(await crewsAt(at(gapDay, '23:00'))).toEqual([
        { crewId: crew2.id, personIds: pairOn(gapDay, crew2A, crew2B) },
        { crewId: crew3.id, personIds: [crew3A.personId, crew3B.personId] },
      ]);
      expect(await crewsAt(at(gapDay, '10:00'))).toEqual([{ crewId: crew1.id, personIds: pairOn(gapDay, crew1A, crew1B) }]);
    });

    it('refuses a non-member (400 naming the person) and anyone but the admin managing crews, and writes nothing', async () => {
      const before = await t.db.getRepository(DutyShiftRow).count();
      const stranger = await post(admin, '/shifts', crewShift(crew1A.personId)).expect(400);
      expect(stranger.body).toMatchObject({ code: ErrorCode.ValidationFailed, message: `${await nameOf(crew1A.personId)} 不是管道维修三队的维修人员，不能排入维修人员值班` });
      const gridMember = await post(admin, '/templates', { scopeKind: 'crew', scopeId: crew4.id, level: 0, slots: [{ weekday: 1, start: '08:00', end: '20:00', personId: member1.personId }] }).expect(400);
      expect(gridMember.body.message).toBe(`${await nameOf(member1.personId)} 不是备用维修队的维修人员，不能排入维修人员值班`);
      expect((await post(admin, '/shifts', crewShift(crew3A.personId, { level: EscalationLevel.GridLeader })).expect(400)).body.message).toBe('管道维修三队的值班表只有 0（维修人员） 级');
      expect((await post(leader1, '/shifts', crewShift(crew3A.personId)).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      expect((await post(crew3A, '/shifts', crewShift(crew3B.personId)).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      expect((await post(admin, '/shifts', crewShift(crew3A.personId, { scopeId: 999999 })).expect(422)).body).toMatchObject({ code: ErrorCode.CrewNotFound, message: '维修队不存在' });
      const otherAdmin = await t.as(Role.CommunityAdmin, { communityId: other.communityId });
      expect((await post(otherAdmin, '/templates', { scopeKind: 'crew', scopeId: crew3.id, level: 0, slots: nights() }).expect(422)).body.code).toBe(ErrorCode.CrewNotFound);
      expect(await t.db.getRepository(DutyShiftRow).count()).toBe(before);
    });

    it('a crew member reads his own crew’s roster and his shifts, and no other roster', async () => {
      const week = `from=${iso(Date.now())}&to=${iso(Date.now() + 7 * 24 * HOUR_MS)}`;
      const own = (await get(crew3A, `/shifts?scopeKind=crew&scopeId=${crew3.id}&${week}`).expect(200)).body as DutyShiftView[];
      expect(own.length).toBeGreaterThanOrEqual(4);
      expect(own.every((s) => s.scopeKind === DutyScopeKind.Crew && s.scopeId === crew3.id && s.levelLabel === '维修人员')).toBe(true);
      const everything = (await get(crew3A, `/shifts?${week}`).expect(200)).body as DutyShiftView[];
      expect(everything.map((s) => s.id)).toEqual(own.map((s) => s.id));
      const mine = (await get(crew3B, `/shifts?mine=true&${week}`).expect(200)).body as DutyShiftView[];
      expect(mine.map((s) => s.id)).toEqual(own.map((s) => s.id));
      expect((await get(crew3A, `/templates`).expect(200)).body.map((x: { id: number }) => x.id)).toEqual([crew3TemplateId]);
      expect((await get(crew3A, `/shifts?scopeKind=crew&scopeId=${crew1.id}`).expect(404)).body).toMatchObject({ code: ErrorCode.NotFound, message: '维修队不存在' });
      expect((await get(admin, `/shifts?scopeKind=crew&scopeId=999999`).expect(404)).body.code).toBe(ErrorCode.NotFound);
      expect((await get(crew3A, `/shifts?scopeKind=grid&scopeId=${grid1.id}`).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
      const [crew1Template] = (await get(admin, `/templates?scopeKind=crew&scopeId=${crew1.id}`).expect(200)).body;
      expect((await get(crew3A, `/templates/${crew1Template.id}`).expect(404)).body.code).toBe(ErrorCode.DutyTemplateNotFound);
      expect((await get(crew3A, '/now').expect(403)).body.code).toBe(ErrorCode.Forbidden);
      expect((await get(crew3A, '/coverage').expect(200)).body.scopes.map((c: { scopeId: number }) => c.scopeId)).toEqual([crew3.id]);
      // Grid staff read the crews' rosters: they dispatch equipment faults to them.
      expect((await get(member1, `/templates?scopeKind=crew&scopeId=${crew1.id}`).expect(200)).body).toEqual([expect.objectContaining({ id: crew1Template.id, scopeName: '机电维修一队' })]);
    });

    it('crew members swap shifts within the crew and hand over to each other', async () => {
      const [shift] = await shiftsAt(DutyScopeKind.Crew, crew3.id, EscalationLevel.GridMember, at(swapDay, '23:00'));
      const misfit = await post(crew3A, '/swaps', { shiftId: shift.id, counterpartId: crew2A.personId }).expect(400);
      expect(misfit.body.message).toBe(`${await nameOf(crew2A.personId)} 不是管道维修三队的维修人员，不能排入维修人员值班`);
      const asked = await post(crew3A, '/swaps', { shiftId: shift.id, counterpartId: crew3B.personId, note: '家中有事' }).expect(201);
      expect((await get(crew3B, '/swaps?mine=true').expect(200)).body.map((w: { id: number }) => w.id)).toEqual([asked.body.id]);
      const accepted = await post(crew3B, `/swaps/${asked.body.id}/accept`).expect(200);
      expect(accepted.body).toMatchObject({ status: DutySwapStatus.Accepted, shift: { id: shift.id, personId: crew3B.personId, backupPersonId: null, source: ShiftSource.Swap } });

      const end = Date.now() + 30 * MINUTE_MS;
      const ending = await post(admin, '/shifts', crewShift(crew3A.personId, { startsAt: iso(Date.now() - HOUR_MS), endsAt: iso(end) })).expect(201);
      await post(admin, '/shifts', crewShift(crew3B.personId, { startsAt: iso(end), endsAt: iso(end + 2 * HOUR_MS) })).expect(201);
      const handover = await post(crew3A, '/handovers', { shiftId: ending.body.id, note: '三号机液压管接头已换，明早复查渗漏' }).expect(201);
      expect((await get(crew3B, '/handovers?mine=true').expect(200)).body.map((h: { id: number }) => h.id)).toEqual([handover.body.id]);
      expect((await post(crew3B, `/handovers/${handover.body.id}/ack`).expect(200)).body.acknowledgedBy).toBe(crew3B.personId);
      expect((await get(crew1A, '/handovers').expect(200)).body).toEqual([]);
    });

    it('coverage holds a crew to its hours: a hole in them is reported and alerted once; a crew without a roster is neither', async () => {
      const report = async () => (await get(admin, '/coverage?days=7').expect(200)).body.scopes.filter((c: { scopeKind: string }) => c.scopeKind === 'crew');
      const rows = await report();
      // Crew 3 works nights only, and is not short of anyone over them; crew 4 has no roster.
      expect(rows.map((c: { scopeId: number; fullyCovered: boolean }) => [c.scopeId, c.fullyCovered])).toEqual([
        [crew1.id, true],
        [crew2.id, true],
        [crew3.id, true],
      ]);
      const [night] = await shiftsAt(DutyScopeKind.Crew, crew3.id, EscalationLevel.GridMember, at(gapDay, '23:00'));
      await http().delete(`/api/v1/duty/shifts/${night.id}`).set('Authorization', admin.auth).expect(200);
      const crew3Row = (await report()).find((c: { scopeId: number }) => c.scopeId === crew3.id);
      expect(crew3Row).toMatchObject({ levelLabel: '维修人员', fullyCovered: false, gaps: [{ start: iso(at(gapDay, '20:00')), end: iso(at(gapDay + 1, '08:00')) }] });
      expect(crew3Row.uncoveredDays.map((d: { uncoveredMinutes: number }) => d.uncoveredMinutes)).toEqual([240, 480]);

      await duty.housekeeping(new Date());
      const crewAlerts = async () => t.db.getRepository(DutyAlert).find({ where: { scopeKind: DutyScopeKind.Crew, resolvedAt: IsNull() } });
      const [alert, ...none] = await crewAlerts();
      expect(none).toEqual([]);
      expect(alert).toMatchObject({ scopeId: crew3.id, level: EscalationLevel.GridMember, gapStart: new Date(at(gapDay, '20:00')), gapEnd: new Date(at(gapDay + 1, '08:00')) });
      const notices = await t.db.query('SELECT title FROM notification WHERE kind = ? AND person_id = ?', [NotificationKind.DutyCoverageGap, admin.personId]);
      expect(notices.map((n: { title: string }) => n.title)).toContain('值班缺口：管道维修三队维修人员');
      expect((await get(admin, '/alerts').expect(200)).body).toEqual(expect.arrayContaining([expect.objectContaining({ id: alert.id, scopeName: '管道维修三队', levelLabel: '维修人员' })]));
      await duty.housekeeping(new Date(Date.now() + MINUTE_MS));
      expect((await crewAlerts()).map((a) => a.id)).toEqual([alert.id]);
    });
  });
});
