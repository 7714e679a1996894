import { ChangeRequestStatus, ErrorCode, GridChangeKind, GridStatus, MicrogridKind, Role } from '@qihu/contracts';
import request from 'supertest';
import { In, IsNull } from 'typeorm';
import { Person } from '../src/modules/identity/person.entity';
import { RoleAssignment } from '../src/modules/identity/role-assignment.entity';
import { Community } from '../src/modules/org/community.entity';
import { FirmPlacement } from '../src/modules/org/firm-placement.entity';
import { GridChangeRequest } from '../src/modules/org/grid-change-request.entity';
import { Grid } from '../src/modules/org/grid.entity';
import { Microgrid } from '../src/modules/org/microgrid.entity';
import type { ApprovedGridChangeDto, GridChangeRequestViewDto } from '../src/modules/org/grid-changes/dto/grid-change.dto';
import { Ticket } from '../src/modules/tickets/ticket.entity';
import { Actor, idempotencyKey, startTestApp, TestApp } from './harness';

/** The demo community: grids 001–003 of 30 firms; micro-grids 01–04 one above-scale firm each, 05–10 small firms. */
const COMMUNITY = '330206101001';
const GRID_1 = `${COMMUNITY}001`;
const GRID_2 = `${COMMUNITY}002`;
const GRID_3 = `${COMMUNITY}003`;
const DAY = 24 * 3600_000;

describe('grid changes (e2e): split, merge and withdraw on approval, history kept', () => {
  let t: TestApp;
  let admin: Actor;
  let leader1: Actor;
  let leader2: Actor;
  let grid1: Grid;
  let grid2: Grid;
  let grid3: Grid;
  let otherGrid: Grid;
  let otherMicrogrid: Microgrid;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.as(Role.CommunityAdmin);
    const grids = t.db.getRepository(Grid);
    [grid1, grid2, grid3] = await Promise.all([GRID_1, GRID_2, GRID_3].map((code) => grids.findOneByOrFail({ code })));
    leader1 = await t.as(Role.GridLeader, { gridId: grid1.id });
    leader2 = await t.as(Role.GridLeader, { gridId: grid2.id });
    // Another community with a grid and a micro-grid of its own: never reachable from ours.
    const { identifiers: [{ id: communityId }] } = await t.db
      .getRepository(Community)
      .insert({ code: '330206101002', name: '邻近社区', class: 'general' as Community['class'], firmBandMin: 20, firmBandMax: 50, createdAt: new Date() });
    otherGrid = await grids.save({ communityId, code: '330206101002001', name: '邻社第一网格', status: GridStatus.Active, createdAt: new Date(), withdrawnAt: null });
    otherMicrogrid = await t.db.getRepository(Microgrid).save({
      gridId: otherGrid.id,
      code: '33020610100200101',
      name: '邻社片区1',
      kind: MicrogridKind.SmallFirms,
      status: GridStatus.Active,
      createdAt: new Date(),
      withdrawnAt: null,
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  const http = () => request(t.app.getHttpServer());
  const ask = (body: unknown, as: Actor = admin) => http().post('/api/v1/grid-changes').set('Authorization', as.auth).send(body as object);
  const approve = (id: number, as: Actor = admin) => http().post(`/api/v1/grid-changes/${id}/approve`).set('Authorization', as.auth);
  const reject = (id: number, body: object, as: Actor = admin) => http().post(`/api/v1/grid-changes/${id}/reject`).set('Authorization', as.auth).send(body);
  const microgridOf = (code: string) => t.db.getRepository(Microgrid).findOneByOrFail({ code });
  const currentFirms = async (microgridId: number) =>
    (await t.db.getRepository(FirmPlacement).find({ where: { microgridId, effectiveTo: IsNull() }, order: { firmId: 'ASC' } })).map((p) => p.firmId);
  const placements = (firmId: number) => t.db.getRepository(FirmPlacement).find({ where: { firmId }, order: { effectiveFrom: 'ASC' } });
  const firmAsAdmin = async (id: number) => (await http().get(`/api/v1/firms/${id}`).set('Authorization', admin.auth).expect(200)).body;
  const split = (gridId: number, microgridIds: number[], extra: object = {}) => ({ kind: 'split', gridId, newGridName: '新拆网格', microgridIds, reason: '规模过大，按片区拆分', ...extra });

  /** Everything a refusal must leave as it was. */
  const state = async () => ({
    requests: await t.db.getRepository(GridChangeRequest).find({ order: { id: 'ASC' } }),
    grids: await t.db.getRepository(Grid).find({ order: { id: 'ASC' } }),
    microgrids: await t.db.getRepository(Microgrid).find({ order: { id: 'ASC' } }),
    placements: await t.db.getRepository(FirmPlacement).find({ order: { id: 'ASC' } }),
    roles: await t.db.getRepository(RoleAssignment).find({ order: { id: 'ASC' } }),
  });
  const unchangedBy = async (refusal: () => Promise<unknown>) => {
    const before = await state();
    await refusal();
    expect(await state()).toEqual(before);
  };

  describe('POST /api/v1/grid-changes', () => {
    it('records a pending split and changes nothing else', async () => {
      const [mg5, mg6] = await Promise.all([microgridOf(`${GRID_1}05`), microgridOf(`${GRID_1}06`)]);
      const before = await state();
      const res = await ask(split(grid1.id, [mg5.id, mg6.id])).expect(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        communityId: grid1.communityId,
        kind: GridChangeKind.Split,
        status: ChangeRequestStatus.Pending,
        payload: { kind: 'split', gridId: grid1.id, newGrid: { code: '', name: '新拆网格' }, microgridIds: [mg5.id, mg6.id] },
        reason: '规模过大，按片区拆分',
        effectiveFrom: expect.any(String),
        requestedBy: admin.personId,
        decidedBy: null,
        decidedAt: null,
        decisionNote: '',
        createdAt: expect.any(String),
      });
      const after = await state();
      expect(after.requests).toHaveLength(before.requests.length + 1);
      expect({ ...after, requests: before.requests }).toEqual(before);
    });

    it("lets the grid's own leader ask, for a merge into or out of their grid too", async () => {
      const mg7 = await microgridOf(`${GRID_1}07`);
      const res = await ask(split(grid1.id, [mg7.id]), leader1).expect(201);
      expect(res.body.requestedBy).toBe(leader1.personId);
      await ask({ kind: 'merge', fromGridId: grid2.id, intoGridId: grid1.id, reason: '并入第一网格' }, leader1).expect(201);
    });

    it.each([
      ['an unknown kind', { kind: 'rename', gridId: 1, reason: '改名' }, 'kind'],
      ['no kind', { gridId: 1, reason: '撤销' }, 'kind'],
      ['a body that is a list', [{ kind: 'withdraw', gridId: 1, reason: '撤销' }], 'kind'],
      ['a split without micro-grids', { kind: 'split', gridId: 1, newGridName: '新网格', reason: '拆分' }, 'microgridIds'],
      ['a split with an empty micro-grid list', { kind: 'split', gridId: 1, newGridName: '新网格', microgridIds: [], reason: '拆分' }, 'microgridIds'],
      ['a split with a repeated micro-grid', { kind: 'split', gridId: 1, newGridName: '新网格', microgridIds: [5, 5], reason: '拆分' }, 'microgridIds'],
      ['a split without a new grid name', { kind: 'split', gridId: 1, microgridIds: [5], reason: '拆分' }, 'newGridName'],
      ['a merge without intoGridId', { kind: 'merge', fromGridId: 1, reason: '合并' }, 'intoGridId'],
      ["a merge carrying a split's field", { kind: 'merge', fromGridId: 1, intoGridId: 2, microgridIds: [5], reason: '合并' }, 'microgridIds'],
      ['a withdraw with a non-integer grid id', { kind: 'withdraw', gridId: '1', reason: '撤销' }, 'gridId'],
      ['a withdraw with an extra field', { kind: 'withdraw', gridId: 1, reason: '撤销', status: 'approved' }, 'status'],
      ['a blank reason', { kind: 'withdraw', gridId: 1, reason: '   ' }, 'reason'],
      ['no reason', { kind: 'withdraw', gridId: 1 }, 'reason'],
      ['an effective date that is not a date', { kind: 'withdraw', gridId: 1, reason: '撤销', effectiveFrom: '下周一' }, 'effectiveFrom'],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field, and records nothing', async (_what, body, field) => {
      await unchangedBy(async () => {
        const res = await ask(body).expect(400);
        expect(res.body.code).toBe(ErrorCode.ValidationFailed);
        expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      });
    });

    it('refuses an effective date in the past', async () => {
      await unchangedBy(async () => {
        const res = await ask({ kind: 'merge', fromGridId: grid2.id, intoGridId: grid1.id, reason: '合并', effectiveFrom: new Date(Date.now() - DAY).toISOString() }).expect(400);
        expect(res.body).toMatchObject({ code: ErrorCode.ValidationFailed, message: '生效时间不能早于当前时间' });
      });
    });

    it('refuses a split of every micro-grid, a micro-grid of another grid, a merge into itself (400)', async () => {
      const own = await t.db.getRepository(Microgrid).findBy({ gridId: grid1.id, status: GridStatus.Active });
      const ofGrid2 = await microgridOf(`${GRID_2}05`);
      await unchangedBy(async () => {
        const all = await ask(split(grid1.id, own.map((m) => m.id))).expect(400);
        expect(all.body.message).toBe('拆分须在「第一网格」保留至少一个微网格；整体调整请申请合并');
        const foreign = await ask(split(grid1.id, [ofGrid2.id])).expect(400);
        expect(foreign.body.message).toBe(`微网格「${ofGrid2.name}」不属于「第一网格」`);
        const self = await ask({ kind: 'merge', fromGridId: grid1.id, intoGridId: grid1.id, reason: '合并' }).expect(400);
        expect(self.body.message).toBe('不能将网格并入其自身');
      });
    });

    it('refuses a merge that would run the target grid out of micro-grid codes (never reused, 2 digits)', async () => {
      await t.db.getRepository(Microgrid).insert({
        gridId: grid2.id,
        code: `${GRID_2}95`,
        name: '早已撤销的片区',
        kind: MicrogridKind.Block,
        status: GridStatus.Withdrawn,
        createdAt: new Date(),
        withdrawnAt: new Date(),
      });
      await unchangedBy(async () => {
        const res = await ask({ kind: 'merge', fromGridId: grid1.id, intoGridId: grid2.id, reason: '合并' }).expect(400);
        expect(res.body.message).toBe('「第二网格」的微网格编号不足（编号不重复使用，最多 99 个），无法并入 10 个微网格');
      });
    });

    it('refuses to withdraw a grid that still has firms, telling them to move the firms first', async () => {
      await unchangedBy(async () => {
        const res = await ask({ kind: 'withdraw', gridId: grid3.id, reason: '撤销第三网格' }).expect(400);
        expect(res.body).toEqual({
          code: ErrorCode.ValidationFailed,
          message: '「第三网格」在生效时仍有 30 家企业，请先将这些企业调整到其他网格，再申请撤销',
          details: { fields: [{ field: 'gridId', reason: '「第三网格」在生效时仍有 30 家企业，请先将这些企业调整到其他网格，再申请撤销' }] },
        });
      });
    });

    it("answers 404 for unknown ids and for another community's grids and micro-grids", async () => {
      const mg5 = await microgridOf(`${GRID_1}05`);
      await unchangedBy(async () => {
        expect((await ask({ kind: 'withdraw', gridId: 987654, reason: '撤销' }).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
        expect((await ask({ kind: 'withdraw', gridId: otherGrid.id, reason: '撤销' }).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
        expect((await ask({ kind: 'merge', fromGridId: otherGrid.id, intoGridId: grid1.id, reason: '合并' }).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
        expect((await ask({ kind: 'merge', fromGridId: grid1.id, intoGridId: otherGrid.id, reason: '合并' }).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
        expect((await ask(split(otherGrid.id, [otherMicrogrid.id])).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
        expect((await ask(split(grid1.id, [mg5.id, otherMicrogrid.id])).expect(404)).body.code).toBe(ErrorCode.MicrogridNotFound);
        expect((await ask(split(grid1.id, [987654])).expect(404)).body.code).toBe(ErrorCode.MicrogridNotFound);
      });
    });

    it("answers 404 to a grid leader asking about another grid, 403 to other roles", async () => {
      const mg5 = await microgridOf(`${GRID_1}05`);
      await unchangedBy(async () => {
        expect((await ask(split(grid1.id, [mg5.id]), leader2).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
        expect((await ask({ kind: 'merge', fromGridId: grid1.id, intoGridId: grid3.id, reason: '合并' }, leader2).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
        const member = await t.as(Role.GridMember, { gridId: grid1.id });
        expect((await ask(split(grid1.id, [mg5.id]), member).expect(403)).body.code).toBe(ErrorCode.Forbidden);
        expect((await http().post('/api/v1/grid-changes').send(split(grid1.id, [mg5.id])).expect(401)).body.code).toBe(ErrorCode.Unauthenticated);
      });
    });
  });

  describe('GET /api/v1/grid-changes', () => {
    it("lists the community's requests for the admin, newest first, filtered by status", async () => {
      const all: GridChangeRequestViewDto[] = (await http().get('/api/v1/grid-changes').set('Authorization', admin.auth).expect(200)).body;
      const ids = (await t.db.getRepository(GridChangeRequest).find({ order: { id: 'DESC' } })).map((r) => r.id);
      expect(all.map((r) => r.id)).toEqual(ids);
      const pending = await http().get('/api/v1/grid-changes?status=pending').set('Authorization', admin.auth).expect(200);
      expect(pending.body.map((r: GridChangeRequestViewDto) => r.id)).toEqual(ids);
      expect((await http().get('/api/v1/grid-changes?status=approved').set('Authorization', admin.auth).expect(200)).body).toEqual([]);
      expect((await http().get('/api/v1/grid-changes?status=done').set('Authorization', admin.auth).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
    });

    it("shows a grid leader only the requests that concern their grid", async () => {
      const mine: GridChangeRequestViewDto[] = (await http().get('/api/v1/grid-changes').set('Authorization', leader2.auth).expect(200)).body;
      expect(mine.map((r) => r.payload)).toEqual([{ kind: 'merge', fromGridId: grid2.id, intoGridId: grid1.id }]);
      const splitOf1 = (await t.db.getRepository(GridChangeRequest).findOneOrFail({ where: { kind: GridChangeKind.Split }, order: { id: 'ASC' } })).id;
      await http().get(`/api/v1/grid-changes/${splitOf1}`).set('Authorization', leader1.auth).expect(200);
      const hidden = await http().get(`/api/v1/grid-changes/${splitOf1}`).set('Authorization', leader2.auth).expect(404);
      expect(hidden.body).toEqual({ code: ErrorCode.ChangeRequestNotFound, message: '网格调整申请不存在' });
      expect((await http().get('/api/v1/grid-changes/987654').set('Authorization', admin.auth).expect(404)).body.code).toBe(ErrorCode.ChangeRequestNotFound);
    });
  });

  describe('POST /api/v1/grid-changes/:id/reject', () => {
    it('needs a note, then rejects once; a decided request can be neither rejected nor approved again (409)', async () => {
      const mg8 = await microgridOf(`${GRID_1}08`);
      const { id } = (await ask(split(grid1.id, [mg8.id])).expect(201)).body;
      await unchangedBy(async () => {
        expect((await reject(id, {}).expect(400)).body.details.fields[0].field).toBe('note');
        expect((await reject(id, { note: '  ' }).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
        expect((await reject(id, { note: '暂缓', extra: 1 }).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
        expect((await reject(id, { note: '暂缓' }, leader1).expect(403)).body.code).toBe(ErrorCode.Forbidden);
        expect((await reject(987654, { note: '暂缓' }).expect(404)).body.code).toBe(ErrorCode.ChangeRequestNotFound);
      });
      const res = await reject(id, { note: '第一网格人手不足，暂缓拆分' }).expect(200);
      expect(res.body).toMatchObject({ status: ChangeRequestStatus.Rejected, decidedBy: admin.personId, decisionNote: '第一网格人手不足，暂缓拆分' });
      expect(res.body.decidedAt).toEqual(expect.any(String));
      await unchangedBy(async () => {
        expect((await reject(id, { note: '再次驳回' }).expect(409)).body).toEqual({ code: ErrorCode.ChangeRequestNotPending, message: '该申请已处理，不能重复审批' });
        expect((await approve(id).expect(409)).body.code).toBe(ErrorCode.ChangeRequestNotPending);
      });
      expect(await currentFirms(mg8.id)).toHaveLength(4);
    });
  });

  describe('POST /api/v1/grid-changes/:id/approve', () => {
    it('splits: a new grid and new micro-grids with new codes, firms and leaders move, earlier tickets keep the old grid', async () => {
      const [mg5, mg6] = await Promise.all([microgridOf(`${GRID_1}05`), microgridOf(`${GRID_1}06`)]);
      const firm5 = await currentFirms(mg5.id);
      const firm6 = await currentFirms(mg6.id);
      const leaders = await t.db.getRepository(RoleAssignment).find({ where: { microgridId: In([mg5.id, mg6.id]), revokedAt: IsNull() }, order: { id: 'ASC' } });
      expect(leaders).toHaveLength(4);

      // A ticket raised before the split.
      const contact = await t.as(Role.FirmContact, { firmId: firm5[0] });
      const defaults = await http().get('/api/v1/intake/defaults').set('Authorization', contact.auth).expect(200);
      const ticket = await http().post('/api/v1/tickets').set('Authorization', contact.auth).set('Idempotency-Key', idempotencyKey()).send({ categoryId: defaults.body.categoryId }).expect(201);

      const pending = (await t.db.getRepository(GridChangeRequest).findOneOrFail({ where: { kind: GridChangeKind.Split, status: ChangeRequestStatus.Pending }, order: { id: 'ASC' } }));
      expect(pending.payload).toMatchObject({ microgridIds: [mg5.id, mg6.id] });
      expect((await approve(pending.id, leader1).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      const res = await approve(pending.id).expect(200);
      const approved: ApprovedGridChangeDto = res.body;
      const newGrid = await t.db.getRepository(Grid).findOneByOrFail({ code: `${COMMUNITY}004` });
      const [new1, new2] = await Promise.all([microgridOf(`${COMMUNITY}00401`), microgridOf(`${COMMUNITY}00402`)]);
      const names = new Map((await t.db.getRepository(Person).findBy({ id: In(leaders.map((l) => l.personId)) })).map((p) => [p.id, p.name]));

      expect(approved).toMatchObject({
        id: pending.id,
        status: ChangeRequestStatus.Approved,
        decidedBy: admin.personId,
        payload: { kind: 'split', gridId: grid1.id, newGrid: { code: `${COMMUNITY}004`, name: '新拆网格' }, microgridIds: [mg5.id, mg6.id] },
      });
      expect(approved.decidedAt).toBe(approved.effectiveFrom);
      expect(approved.outcome).toEqual({
        createdGridIds: [newGrid.id],
        withdrawnGridIds: [],
        microgrids: [
          { fromId: mg5.id, fromCode: mg5.code, id: new1.id, code: new1.code, gridId: newGrid.id, name: mg5.name, kind: mg5.kind, firmCount: 5 },
          { fromId: mg6.id, fromCode: mg6.code, id: new2.id, code: new2.code, gridId: newGrid.id, name: mg6.name, kind: mg6.kind, firmCount: 5 },
        ],
        withdrawnMicrogridIds: [],
        firmsMoved: 10,
        carriedAssignments: leaders.map((l) => ({
          id: expect.any(Number),
          personId: l.personId,
          personName: names.get(l.personId),
          role: Role.MicrogridLeader,
          gridId: null,
          microgridId: l.microgridId === mg5.id ? new1.id : new2.id,
          replacesId: l.id,
        })),
        revokedAssignments: [],
      });

      const at = new Date(approved.effectiveFrom);
      expect(newGrid).toMatchObject({ communityId: grid1.communityId, name: '新拆网格', status: GridStatus.Active, withdrawnAt: null });
      expect(new1).toMatchObject({ gridId: newGrid.id, name: mg5.name, kind: mg5.kind, status: GridStatus.Active });
      for (const old of [mg5, mg6]) {
        expect(await microgridOf(old.code)).toMatchObject({ gridId: grid1.id, status: GridStatus.Withdrawn, withdrawnAt: at });
      }
      expect(await currentFirms(new1.id)).toEqual(firm5);
      expect(await currentFirms(new2.id)).toEqual(firm6);
      expect(await firmAsAdmin(firm5[0])).toMatchObject({ gridId: newGrid.id, microgridId: new1.id });
      expect((await placements(firm5[0])).map((p) => [p.gridId, p.microgridId, p.effectiveTo])).toEqual([
        [grid1.id, mg5.id, at],
        [newGrid.id, new1.id, null],
      ]);
      expect((await t.db.getRepository(Ticket).findOneByOrFail({ id: ticket.body.id })).gridId).toBe(grid1.id);

      const roles = t.db.getRepository(RoleAssignment);
      expect(await roles.countBy({ microgridId: In([mg5.id, mg6.id]), revokedAt: IsNull() })).toBe(0);
      expect(await roles.countBy({ id: In(leaders.map((l) => l.id)) })).toBe(4);
      expect((await roles.findBy({ microgridId: new1.id, revokedAt: IsNull() })).map((r) => r.personId).sort()).toEqual(
        leaders.filter((l) => l.microgridId === mg5.id).map((l) => l.personId).sort(),
      );
      // The grid it left keeps its staff and its other micro-grids.
      expect(await roles.countBy({ gridId: grid1.id, revokedAt: IsNull() })).toBe(5);
      expect(await t.db.getRepository(Microgrid).countBy({ gridId: grid1.id, status: GridStatus.Active })).toBe(8);

      await unchangedBy(async () => {
        expect((await approve(pending.id).expect(409)).body.code).toBe(ErrorCode.ChangeRequestNotPending);
      });
    });

    it('applies a request approved twice at once exactly once', async () => {
      const mg9 = await microgridOf(`${GRID_1}09`);
      const { id } = (await ask(split(grid1.id, [mg9.id], { newGridName: '并发网格' })).expect(201)).body;
      const grids = await t.db.getRepository(Grid).count();
      const results = await Promise.all([approve(id), approve(id), approve(id)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      expect(await t.db.getRepository(Grid).count()).toBe(grids + 1);
      expect(await t.db.getRepository(Grid).countBy({ name: '并发网格' })).toBe(1);
      expect(await t.db.getRepository(Microgrid).countBy({ name: mg9.name, status: GridStatus.Active })).toBe(1);
    });

    it('with a future effective date, keeps the firms in the old grid until then', async () => {
      const mg5 = await microgridOf(`${GRID_2}05`);
      const [firmId] = await currentFirms(mg5.id);
      const effectiveFrom = new Date(Date.now() + 7 * DAY);
      const { id } = (await ask(split(grid2.id, [mg5.id], { newGridName: '下周网格', effectiveFrom: effectiveFrom.toISOString() }), leader2).expect(201)).body;
      const approved: ApprovedGridChangeDto = (await approve(id).expect(200)).body;
      expect(approved.effectiveFrom).toBe(effectiveFrom.toISOString());
      const newMg = await t.db.getRepository(Microgrid).findOneByOrFail({ id: approved.outcome.microgrids[0].id });
      expect(await firmAsAdmin(firmId)).toMatchObject({ gridId: grid2.id, microgridId: mg5.id });
      expect((await placements(firmId)).map((p) => [p.gridId, p.microgridId, p.effectiveFrom, p.effectiveTo])).toEqual([
        [grid2.id, mg5.id, expect.any(Date), effectiveFrom],
        [newMg.gridId, newMg.id, effectiveFrom, null],
      ]);
      expect(await microgridOf(mg5.code)).toMatchObject({ status: GridStatus.Withdrawn, withdrawnAt: effectiveFrom });
    });

    it('merges: every micro-grid of the grid moves into the other under new codes, its staff are revoked and listed', async () => {
      const mgs = await t.db.getRepository(Microgrid).find({ where: { gridId: grid3.id, status: GridStatus.Active }, order: { code: 'ASC' } });
      const staff = await t.db.getRepository(RoleAssignment).find({ where: { gridId: grid3.id, revokedAt: IsNull() }, order: { id: 'ASC' } });
      const firms = (await Promise.all(mgs.map((m) => currentFirms(m.id)))).flat();
      expect(firms).toHaveLength(30);
      const { id } = (await ask({ kind: 'merge', fromGridId: grid3.id, intoGridId: grid1.id, reason: '第三网格并入第一网格' })).body;
      const approved: ApprovedGridChangeDto = (await approve(id).expect(200)).body;

      expect(approved.outcome.createdGridIds).toEqual([]);
      expect(approved.outcome.withdrawnGridIds).toEqual([grid3.id]);
      expect(approved.outcome.firmsMoved).toBe(30);
      // Grid 001 had micro-grids 01–10: the newcomers are numbered on, never reusing a code.
      expect(approved.outcome.microgrids.map((m) => [m.fromCode, m.code, m.gridId])).toEqual(
        mgs.map((m, i) => [m.code, `${GRID_1}${String(11 + i).padStart(2, '0')}`, grid1.id]),
      );
      expect(approved.outcome.carriedAssignments).toHaveLength(20);
      expect(approved.outcome.revokedAssignments.map((a) => [a.id, a.role, a.gridId])).toEqual(staff.map((s) => [s.id, s.role, grid3.id]));
      expect(approved.outcome.revokedAssignments.every((a) => a.personName.length > 0)).toBe(true);

      expect(await t.db.getRepository(Grid).findOneByOrFail({ id: grid3.id })).toMatchObject({ status: GridStatus.Withdrawn, withdrawnAt: new Date(approved.effectiveFrom) });
      expect(await t.db.getRepository(Microgrid).countBy({ gridId: grid3.id, status: GridStatus.Active })).toBe(0);
      expect(await t.db.getRepository(RoleAssignment).countBy({ gridId: grid3.id, revokedAt: IsNull() })).toBe(0);
      for (const firmId of [firms[0], firms[29]]) expect((await firmAsAdmin(firmId)).gridId).toBe(grid1.id);
      const grid1View = await http().get(`/api/v1/grids/${grid1.id}`).set('Authorization', admin.auth).expect(200);
      expect(grid1View.body.firmCount).toBe(30 - 10 - 4 + 30);

      // Withdrawn now: it cannot be merged, split or withdrawn again.
      await unchangedBy(async () => {
        const res = await ask({ kind: 'merge', fromGridId: grid3.id, intoGridId: grid2.id, reason: '再合并' }).expect(400);
        expect(res.body.message).toBe('「第三网格」已撤销');
      });
    });

    it('withdraws a grid once its firms have left by the effective date, with its micro-grids and roles', async () => {
      const grid = (await http().post('/api/v1/grids').set('Authorization', admin.auth).send({ name: '临时网格' }).expect(201)).body;
      const mg = (await http().post('/api/v1/microgrids').set('Authorization', admin.auth).send({ gridId: grid.id, name: '临时片区', kind: MicrogridKind.Block }).expect(201)).body;
      const [firmId] = await currentFirms((await microgridOf(`${GRID_2}06`)).id);
      const home = (await firmAsAdmin(firmId)).microgridId;
      await http().post(`/api/v1/firms/${firmId}/move`).set('Authorization', admin.auth).send({ microgridId: mg.id }).expect(201);
      const leavesAt = new Date(Date.now() + DAY);
      await http().post(`/api/v1/firms/${firmId}/move`).set('Authorization', admin.auth).send({ microgridId: home, effectiveFrom: leavesAt.toISOString() }).expect(201);
      const withdraw = (effectiveFrom?: Date) => ({ kind: 'withdraw', gridId: grid.id, reason: '片区企业已迁出', ...(effectiveFrom ? { effectiveFrom: effectiveFrom.toISOString() } : {}) });

      await unchangedBy(async () => {
        expect((await ask(withdraw()).expect(400)).body.message).toBe('「临时网格」在生效时仍有 1 家企业，请先将这些企业调整到其他网格，再申请撤销');
      });
      const later = new Date(leavesAt.getTime() + DAY);
      const { id } = (await ask(withdraw(later)).expect(201)).body;
      const { identifiers: [{ id: leaderId }] } = await t.db.getRepository(RoleAssignment).insert({
        personId: leader2.personId, role: Role.GridLeader, communityId: grid.communityId, gridId: grid.id, microgridId: null, firmId: null, departmentId: null, crewId: null, createdAt: new Date(), revokedAt: null,
      });
      const approved: ApprovedGridChangeDto = (await approve(id).expect(200)).body;
      expect(approved.effectiveFrom).toBe(later.toISOString());
      expect(approved.outcome).toMatchObject({ withdrawnGridIds: [grid.id], withdrawnMicrogridIds: [mg.id], microgrids: [], firmsMoved: 0 });
      expect(approved.outcome.revokedAssignments.map((a) => a.id)).toEqual([leaderId]);
      expect(await t.db.getRepository(Grid).findOneByOrFail({ id: grid.id })).toMatchObject({ status: GridStatus.Withdrawn, withdrawnAt: later });
      expect(await t.db.getRepository(Microgrid).findOneByOrFail({ id: mg.id })).toMatchObject({ status: GridStatus.Withdrawn, withdrawnAt: later });
      // The firm's history is untouched: in the temporary grid until it left.
      expect((await placements(firmId)).slice(-2).map((p) => [p.microgridId, p.effectiveTo])).toEqual([[mg.id, leavesAt], [home, null]]);
    });

    it('checks again on approval: a firm placed in the grid since the request blocks its withdrawal, and the request stays pending', async () => {
      const grid = (await http().post('/api/v1/grids').set('Authorization', admin.auth).send({ name: '待撤网格' }).expect(201)).body;
      const mg = (await http().post('/api/v1/microgrids').set('Authorization', admin.auth).send({ gridId: grid.id, name: '待撤片区', kind: MicrogridKind.Block }).expect(201)).body;
      const { id } = (await ask({ kind: 'withdraw', gridId: grid.id, reason: '无企业' }).expect(201)).body;
      const [firmId] = await currentFirms((await microgridOf(`${GRID_2}07`)).id);
      await http().post(`/api/v1/firms/${firmId}/move`).set('Authorization', admin.auth).send({ microgridId: mg.id }).expect(201);
      await unchangedBy(async () => {
        const res = await approve(id).expect(400);
        expect(res.body.message).toBe('「待撤网格」在生效时仍有 1 家企业，请先将这些企业调整到其他网格，再申请撤销');
      });
      expect((await t.db.getRepository(GridChangeRequest).findOneByOrFail({ id })).status).toBe(ChangeRequestStatus.Pending);
    });

    it("answers 404 for another community's request and 400 for a non-numeric id", async () => {
      const { identifiers: [{ id }] } = await t.db.getRepository(GridChangeRequest).insert({
        communityId: otherGrid.communityId, kind: GridChangeKind.Withdraw, status: ChangeRequestStatus.Pending, payload: { kind: GridChangeKind.Withdraw, gridId: otherGrid.id },
        reason: '邻社撤销', effectiveFrom: new Date(), requestedBy: admin.personId, decidedBy: null, decidedAt: null, decisionNote: '', createdAt: new Date(),
      });
      await unchangedBy(async () => {
        expect((await approve(id).expect(404)).body.code).toBe(ErrorCode.ChangeRequestNotFound);
        expect((await reject(id, { note: '不行' }).expect(404)).body.code).toBe(ErrorCode.ChangeRequestNotFound);
        expect((await http().get(`/api/v1/grid-changes/${id}`).set('Authorization', admin.auth).expect(404)).body.code).toBe(ErrorCode.ChangeRequestNotFound);
        expect((await approve('abc' as unknown as number).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
      });
    });
  });
});
