import { ErrorCode, OrgWarning, OrgWarningCode, Role } from '@qihu/contracts';
import request from 'supertest';
import { IsNull } from 'typeorm';
import { RoleAssignment } from '../src/modules/identity/role-assignment.entity';
import { FirmPlacement } from '../src/modules/org/firm-placement.entity';
import { Firm } from '../src/modules/org/firm.entity';
import { Grid } from '../src/modules/org/grid.entity';
import { Microgrid } from '../src/modules/org/microgrid.entity';
import { Actor, startTestApp, TestApp } from './harness';

/** The demo community: grids 001–003; micro-grids 01–04 one above-scale firm each, 05–10 small firms (5, 5, 4, 4, 4, 4). */
const GRID_1 = '330206101001001';
const GRID_2 = '330206101001002';
const GRID_3 = '330206101001003';

describe('organisation warnings (e2e): GET /api/v1/org/warnings', () => {
  let t: TestApp;
  let admin: Actor;
  let leader1: Actor;
  let grids: Map<string, Grid>;
  let microgrids: Map<string, Microgrid>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.as(Role.CommunityAdmin);
    grids = new Map((await t.db.getRepository(Grid).find()).map((g) => [g.code, g]));
    microgrids = new Map((await t.db.getRepository(Microgrid).find()).map((m) => [m.code, m]));
    leader1 = await t.as(Role.GridLeader, { gridId: grids.get(GRID_1)!.id });
  });

  afterAll(async () => {
    await t?.close();
  });

  const http = () => request(t.app.getHttpServer());
  const warnings = async (as: Actor = admin): Promise<OrgWarning[]> =>
    (await http().get('/api/v1/org/warnings').set('Authorization', as.auth).expect(200)).body;
  const setBand = (band: { firmBandMin?: number; firmBandMax?: number }) =>
    http().patch('/api/v1/community').set('Authorization', admin.auth).send(band).expect(200);
  const move = (firmId: number, microgridCode: string) =>
    http().post(`/api/v1/firms/${firmId}/move`).set('Authorization', admin.auth).send({ microgridId: microgrids.get(microgridCode)!.id }).expect(201);
  const revoke = (assignmentId: number) =>
    http().delete(`/api/v1/role-assignments/${assignmentId}`).set('Authorization', admin.auth).expect(204);
  const firmsIn = async (microgridCode: string): Promise<Firm[]> => {
    const placements = await t.db.getRepository(FirmPlacement).find({ where: { microgridId: microgrids.get(microgridCode)!.id, effectiveTo: IsNull() }, order: { firmId: 'ASC' } });
    return Promise.all(placements.map((p) => t.db.getRepository(Firm).findOneByOrFail({ id: p.firmId })));
  };

  it('finds nothing to warn about in the seeded demo community, for the admin and for grid staff', async () => {
    expect(await warnings()).toEqual([]);
    expect(await warnings(leader1)).toEqual([]);
    expect(await warnings(await t.as(Role.GridMember, { gridId: grids.get(GRID_2)!.id }))).toEqual([]);
  });

  it('needs a login (401) and an admin or grid role (403)', async () => {
    expect((await http().get('/api/v1/org/warnings').expect(401)).body.code).toBe(ErrorCode.Unauthenticated);
    for (const role of [Role.FirmContact, Role.MicrogridLeader, Role.DeptStaff]) {
      const res = await http().get('/api/v1/org/warnings').set('Authorization', (await t.as(role)).auth).expect(403);
      expect(res.body.code).toBe(ErrorCode.Forbidden);
    }
  });

  it('warns about every grid below a raised band, and shows a grid leader only their grid', async () => {
    await setBand({ firmBandMin: 31 });
    try {
      const below = (name: string, gridCode: string) => ({
        code: OrgWarningCode.GridFirmCountOutOfBand,
        message: `网格「${name}」现有 30 家企业，少于社区设定的 31–50 家`,
        gridCode,
      });
      expect(await warnings()).toEqual([below('第一网格', GRID_1), below('第二网格', GRID_2), below('第三网格', GRID_3)]);
      expect(await warnings(leader1)).toEqual([below('第一网格', GRID_1)]);
    } finally {
      await setBand({ firmBandMin: 20 });
    }
    expect(await warnings()).toEqual([]);
  });

  it('warns about an above-scale firm moved into a full small-firm micro-grid (and about the micro-grid)', async () => {
    const [large] = await firmsIn(`${GRID_1}01`);
    const target = microgrids.get(`${GRID_1}05`)!;
    await move(large.id, target.code);
    try {
      expect(await warnings()).toEqual([
        {
          code: OrgWarningCode.SmallFirmMicrogridOutOfBand,
          message: `微网格「${target.name}」现有 6 家企业，多企一格宜为 2–5 家`,
          gridCode: GRID_1,
          microgridCode: target.code,
        },
        {
          code: OrgWarningCode.LargeFirmSharesMicrogrid,
          message: `规上企业「${large.name}」与其他 5 家企业同在微网格「${target.name}」，宜一企一格`,
          gridCode: GRID_1,
          microgridCode: target.code,
          firmId: large.id,
        },
      ]);
    } finally {
      await move(large.id, `${GRID_1}01`);
    }
    expect(await warnings()).toEqual([]);
  });

  it('warns about a small-firm micro-grid left with one firm and a grid over the band', async () => {
    const source = microgrids.get(`${GRID_2}07`)!;
    const [first, second, third] = await firmsIn(source.code);
    await setBand({ firmBandMax: 31 });
    for (const firm of [first, second, third]) await move(firm.id, `${GRID_3}07`);
    expect(await warnings()).toEqual([
      {
        code: OrgWarningCode.SmallFirmMicrogridOutOfBand,
        message: `微网格「${source.name}」现有 1 家企业，多企一格宜为 2–5 家`,
        gridCode: GRID_2,
        microgridCode: source.code,
      },
      { code: OrgWarningCode.GridFirmCountOutOfBand, message: '网格「第三网格」现有 33 家企业，多于社区设定的 20–31 家', gridCode: GRID_3 },
      {
        code: OrgWarningCode.SmallFirmMicrogridOutOfBand,
        message: `微网格「${microgrids.get(`${GRID_3}07`)!.name}」现有 7 家企业，多企一格宜为 2–5 家`,
        gridCode: GRID_3,
        microgridCode: `${GRID_3}07`,
      },
    ]);
    for (const firm of [first, second, third]) await move(firm.id, source.code);
    await setBand({ firmBandMax: 50 });
    expect(await warnings()).toEqual([]);
  });

  it('warns about a revoked micro-grid leader and a grid missing its full-time member, not about a second part-timer', async () => {
    const mg = microgrids.get(`${GRID_2}03`)!;
    const grid2 = grids.get(GRID_2)!;
    const roles = t.db.getRepository(RoleAssignment);
    const [mgLeader] = await roles.find({ where: { microgridId: mg.id, role: Role.MicrogridLeader, revokedAt: IsNull() }, order: { id: 'ASC' } });
    const member = await roles.findOneByOrFail({ gridId: grid2.id, role: Role.GridMember, revokedAt: IsNull() });
    const [, secondPartTimer] = await roles.find({ where: { gridId: grid2.id, role: Role.GridPartTime, revokedAt: IsNull() }, order: { id: 'ASC' } });
    await revoke(mgLeader.id);
    await revoke(member.id);
    await revoke(secondPartTimer.id);
    const expected = [
      { code: OrgWarningCode.GridStaffIncomplete, message: '网格「第二网格」缺少专职网格员（应配齐 1+3 力量）', gridCode: GRID_2 },
      { code: OrgWarningCode.MicrogridLeadersMissing, message: `微网格「${mg.name}」现有 1 名微网格长，应为 2 名`, gridCode: GRID_2, microgridCode: mg.code },
    ];
    expect(await warnings()).toEqual(expected);
    expect(await warnings(await t.as(Role.GridLeader, { gridId: grid2.id }))).toEqual(expected);
    expect(await warnings(leader1)).toEqual([]);
  });
});
