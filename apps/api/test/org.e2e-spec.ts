import { ErrorCode, FirmScale, MicrogridKind, Role } from '@qihu/contracts';
import { usccCheckDigit } from '@qihu/domain';
import request from 'supertest';
import { FirmPlacement } from '../src/modules/org/firm-placement.entity';
import { Ticket } from '../src/modules/tickets/ticket.entity';
import { Actor, idempotencyKey, startTestApp, TestApp } from './harness';

const creditCode = (n: number) => {
  const first17 = `91330206MA3${String(100000 + n).slice(-6)}`;
  return first17 + usccCheckDigit(first17);
};

describe('organisation (e2e)', () => {
  let t: TestApp;
  let admin: Actor;
  const http = () => request(t.app.getHttpServer());
  const as = (a: Actor) => ({
    get: (p: string) => http().get(`/api/v1${p}`).set('Authorization', a.auth),
    post: (p: string, body: object) => http().post(`/api/v1${p}`).set('Authorization', a.auth).send(body),
    patch: (p: string, body: object) => http().patch(`/api/v1${p}`).set('Authorization', a.auth).send(body),
  });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.as(Role.CommunityAdmin);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('serves the seeded demo community: 3 grids of 30 firms, 10 micro-grids each', async () => {
    const community = (await as(admin).get('/community').expect(200)).body;
    expect(community).toMatchObject({ code: '330206101001', name: '滨海示范工业社区', class: 'large', firmBandMin: 20, firmBandMax: 50 });
    const grids = (await as(admin).get('/grids').expect(200)).body;
    expect(grids.map((g: { code: string; firmCount: number }) => [g.code, g.firmCount])).toEqual([
      ['330206101001001', 30],
      ['330206101001002', 30],
      ['330206101001003', 30],
    ]);
    const microgrids = (await as(admin).get(`/microgrids?gridId=${grids[0].id}`).expect(200)).body;
    expect(microgrids).toHaveLength(10);
    expect(microgrids.every((m: { code: string }) => m.code.startsWith(grids[0].code))).toBe(true);
    const firms = (await as(admin).get('/firms').expect(200)).body;
    expect(firms).toHaveLength(90);
    expect(firms.filter((f: { scale: string }) => f.scale === FirmScale.Above)).toHaveLength(12);
  });

  it('creates a grid with the next code and a micro-grid that extends it', async () => {
    const grid = (await as(admin).post('/grids', { name: '第四网格' }).expect(201)).body;
    expect(grid).toMatchObject({ code: '330206101001004', name: '第四网格', status: 'active', firmCount: 0 });
    const mg = (await as(admin).post('/microgrids', { gridId: grid.id, name: '新园区', kind: MicrogridKind.Park }).expect(201)).body;
    expect(mg.code).toBe('33020610100100401');
    const dup = await as(admin).post('/grids', { name: '重复', code: '330206101001004' }).expect(409);
    expect(dup.body).toEqual({ code: ErrorCode.AlreadyExists, message: '网格编码 330206101001004 已存在' });
    const foreign = await as(admin).post('/grids', { name: '外社区编码', code: '330206999999001' }).expect(400);
    expect(foreign.body.details.fields[0].field).toBe('code');
  });

  it('searches firms by name words or credit code; % and _ are plain text', async () => {
    const hits = (await as(admin).get(`/firms?q=${encodeURIComponent('恒达')}`).expect(200)).body;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((f: { name: string }) => f.name.includes('恒达'))).toBe(true);
    const byCode = (await as(admin).get(`/firms?q=${hits[0].creditCode.toLowerCase()}`).expect(200)).body;
    expect(byCode.map((f: { id: number }) => f.id)).toEqual([hits[0].id]);
    expect((await as(admin).get(`/firms?q=${encodeURIComponent('%')}`).expect(200)).body).toEqual([]);
    expect((await as(admin).get('/firms?q=_').expect(200)).body).toEqual([]);
  });

  it('registers a firm with a checked credit code into a micro-grid', async () => {
    const [mg] = (await as(admin).get('/microgrids').expect(200)).body;
    const code = creditCode(1);
    const firm = (await as(admin).post('/firms', { name: '宁波新登记有限公司', creditCode: code, scale: 'below', microgridId: mg.id, industry: '机械', latitude: 29.9, longitude: 121.8 }).expect(201)).body;
    expect(firm).toMatchObject({ creditCode: code, gridId: mg.gridId, microgridId: mg.id, latitude: 29.9, longitude: 121.8 });
    const again = await as(admin).post('/firms', { name: '重复登记', creditCode: code, scale: 'below', microgridId: mg.id }).expect(409);
    expect(again.body.message).toBe(`统一社会信用代码 ${code} 已登记`);
    const wrongCheck = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const bad = await as(admin).post('/firms', { name: '校验位错', creditCode: wrongCheck, scale: 'below', microgridId: mg.id }).expect(400);
    expect(bad.body).toMatchObject({ code: ErrorCode.ValidationFailed, message: '统一社会信用代码不正确', details: { fields: [{ field: 'creditCode', reason: '校验位不正确' }] } });
  });

  it('moves a firm from a date: tickets raised before keep the grid they were raised in', async () => {
    const grids = (await as(admin).get('/grids').expect(200)).body;
    const firm = (await as(admin).get(`/firms?gridId=${grids[0].id}`).expect(200)).body[5];
    const contact = await t.as(Role.FirmContact, { firmId: firm.id });
    const categoryId = (await as(contact).get('/intake/defaults').expect(200)).body.categoryId;
    const before = (await http().post('/api/v1/tickets').set('Authorization', contact.auth).set('Idempotency-Key', idempotencyKey()).send({ categoryId }).expect(201)).body;

    const target = (await as(admin).get(`/microgrids?gridId=${grids[1].id}`).expect(200)).body[6];
    const moved = (await as(admin).post(`/firms/${firm.id}/move`, { microgridId: target.id, reason: '厂区搬迁' }).expect(201)).body;
    expect(moved).toMatchObject({ gridId: grids[1].id, microgridId: target.id });
    const after = (await http().post('/api/v1/tickets').set('Authorization', contact.auth).set('Idempotency-Key', idempotencyKey()).send({ categoryId }).expect(201)).body;

    const rows = await t.db.getRepository(Ticket).findBy([{ id: before.id }, { id: after.id }]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.gridId]))).toEqual({ [before.id]: grids[0].id, [after.id]: grids[1].id });
    const placements = await t.db.getRepository(FirmPlacement).find({ where: { firmId: firm.id }, order: { id: 'ASC' } });
    expect(placements).toHaveLength(2);
    expect(placements[0].effectiveTo).toEqual(placements[1].effectiveFrom);
  });

  it('keeps a firm in its grid until a planned move takes effect', async () => {
    const grids = (await as(admin).get('/grids').expect(200)).body;
    const firm = (await as(admin).get(`/firms?gridId=${grids[2].id}`).expect(200)).body[7];
    const target = (await as(admin).get(`/microgrids?gridId=${grids[0].id}`).expect(200)).body[5];
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const res = (await as(admin).post(`/firms/${firm.id}/move`, { microgridId: target.id, effectiveFrom: future }).expect(201)).body;
    expect(res.gridId).toBe(grids[2].id);
    const member = await t.as(Role.GridMember, { gridId: grids[2].id });
    await as(member).get(`/firms/${firm.id}`).expect(200);
  });

  it('lets the admin define departments and categories with their SLA policy', async () => {
    const dept = (await as(admin).post('/departments', { code: 'labour', name: '人力社保办' }).expect(201)).body;
    const cat = (await as(admin).post('/categories', { code: 'labour', name: '劳动争议', group: 'safety', departmentId: dept.id, ackMinutes: 20, requiresOnSite: true }).expect(201)).body;
    expect(cat).toMatchObject({ departmentId: dept.id, ackMinutes: 20, escalateMinutes: 30, resolveMinutes: 1440, confirmHours: 72, calendar: 'always_open', requiresOnSite: true });
    const patched = (await as(admin).patch(`/categories/${cat.id}`, { resolveMinutes: 4320, calendar: 'working_time' }).expect(200)).body;
    expect(patched).toMatchObject({ resolveMinutes: 4320, calendar: 'working_time', ackMinutes: 20 });
    const bad = await as(admin).post('/categories', { code: 'x1', name: '坏', group: 'nonsense' }).expect(400);
    expect(bad.body.details.fields[0]).toEqual({ field: 'group', reason: '取值不在允许范围内' });
  });

  it('answers null for a required field with 400 and a duplicate code with 409, never 500', async () => {
    const firm = (await as(admin).get('/firms').expect(200)).body[0];
    const nullName = await as(admin).patch(`/firms/${firm.id}`, { name: null }).expect(400);
    expect(nullName.body.code).toBe(ErrorCode.ValidationFailed);
    const [a, b] = (await as(admin).get('/categories').expect(200)).body;
    const dup = await as(admin).patch(`/categories/${a.id}`, { code: b.code }).expect(409);
    expect(dup.body).toEqual({ code: ErrorCode.AlreadyExists, message: '记录已存在' });
    expect((await as(admin).get(`/firms/${firm.id}`).expect(200)).body.name).toBe(firm.name);
  });

  it('refuses a move into the past: placement history is never rewritten', async () => {
    const firm = (await as(admin).get('/firms').expect(200)).body[10];
    const [mg] = (await as(admin).get('/microgrids').expect(200)).body;
    const before = await t.db.getRepository(FirmPlacement).countBy({ firmId: firm.id });
    const res = await as(admin).post(`/firms/${firm.id}/move`, { microgridId: mg.id, effectiveFrom: '2026-02-01T00:00:00Z' }).expect(400);
    expect(res.body.message).toBe('生效时间不能早于当前时间');
    expect(await t.db.getRepository(FirmPlacement).countBy({ firmId: firm.id })).toBe(before);
  });

  it('warns-not-refuses: the firm band is a community setting, checked for order', async () => {
    const res = await as(admin).patch('/community', { firmBandMin: 60, firmBandMax: 40 }).expect(400);
    expect(res.body.message).toBe('网格企业数下限不能大于上限');
    expect((await as(admin).patch('/community', { firmBandMin: 30, firmBandMax: 40 }).expect(200)).body).toMatchObject({ firmBandMin: 30, firmBandMax: 40 });
  });

  it('lists the grid staff and contacts for grid staff, with masked phones', async () => {
    const grids = (await as(admin).get('/grids').expect(200)).body;
    const leader = await t.as(Role.GridLeader, { gridId: grids[0].id });
    const people = (await as(leader).get('/people').expect(200)).body;
    expect(people.length).toBeGreaterThan(30);
    expect(people.every((p: { phone: string }) => /^\d{3}\*{4}\d{4}$/.test(p.phone))).toBe(true);
    const adminView = (await as(admin).get('/people').expect(200)).body;
    expect(adminView.length).toBeGreaterThan(people.length);
    expect(adminView.some((p: { phone: string }) => /^\d{11}$/.test(p.phone))).toBe(true);
    const contact = await t.as(Role.FirmContact);
    await as(contact).get('/people').expect(403);
  });
});
