import { ErrorCode, Role } from '@qihu/contracts';
import request from 'supertest';
import { demoCreditCode } from '../src/modules/org/demo-seed';
import { FirmPlacement } from '../src/modules/org/firm-placement.entity';
import { Grid } from '../src/modules/org/grid.entity';
import { Microgrid } from '../src/modules/org/microgrid.entity';
import { Category } from '../src/modules/org/category.entity';
import { Department } from '../src/modules/org/department.entity';
import { seedOtherCommunity } from './fixtures';
import { Actor, idempotencyKey, startTestApp, TestApp } from './harness';

/**
 * Every table a request could change; refresh tokens (written by logging in) aside, and the
 * notification outbox and delivery log, which the sender updates on its own schedule.
 */
const TABLES =
  'community, grid, microgrid, firm, firm_placement, department, category, crew, person, role_assignment, grid_change_request, ' +
  'ticket, ticket_event, sla_timer, ticket_counter, upload, notification, notification_subscription, duty_template, duty_swap, duty_handover, ' +
  'equipment, service_item, service_item_price, part, part_price, store, stock, stock_movement, crew_skill, crew_area, ticket_dispatch, work_line';

interface Probe {
  name: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  body?: object;
}

/**
 * The access matrix: people of another community, and people of this community outside the
 * target's grid, micro-grid, firm or department, try every endpoint on the target. Each must
 * get 403 or a not-found error, and the database must not change.
 */
describe('access matrix (e2e)', () => {
  let t: TestApp;
  let probes: Record<string, Probe>;
  const outsiders: Array<{ who: string; actor: () => Promise<Actor>; probes: string[] }> = [];

  const http = () => request(t.app.getHttpServer());
  const checksum = async () => JSON.stringify(await t.db.query(`CHECKSUM TABLE ${TABLES}`));
  const send = (actor: Actor, p: Probe) => {
    const r = http()[p.method](`/api/v1${p.path}`).set('Authorization', actor.auth).set('Idempotency-Key', idempotencyKey());
    return p.body ? r.send(p.body) : r;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const repo = <T extends object>(e: new () => T) => t.db.getRepository(e);
    const [grid1, grid2, grid3] = await repo(Grid).find({ order: { code: 'ASC' }, take: 3 });
    const [m1, m2] = await repo(Microgrid).find({ where: { gridId: grid1.id }, order: { code: 'ASC' }, take: 2 });
    const firm1 = (await repo(FirmPlacement).findOneByOrFail({ microgridId: m1.id })).firmId;
    const firm2 = (await repo(FirmPlacement).findOneByOrFail({ gridId: grid2.id })).firmId;
    const general = await repo(Category).findOneByOrFail({ code: 'general' });
    const emergencyDept = await repo(Department).findOneByOrFail({ code: 'emergency' });
    const contact1 = await t.as(Role.FirmContact, { firmId: firm1 });
    const defaults = await http().get('/api/v1/intake/defaults').set('Authorization', contact1.auth).expect(200);
    const ticket1 = (
      await http()
        .post('/api/v1/tickets')
        .set('Authorization', contact1.auth)
        .set('Idempotency-Key', idempotencyKey())
        .send({ categoryId: defaults.body.categoryId })
        .expect(201)
    ).body.id;

    const worker = await t.as(Role.Worker);
    const workerTicket = (
      await http()
        .post('/api/v1/tickets')
        .set('Authorization', worker.auth)
        .set('Idempotency-Key', idempotencyKey())
        .send({ categoryId: general.id, description: '老板拖欠工资三个月' })
        .expect(201)
    ).body.id;
    const adminA = await t.as(Role.CommunityAdmin);
    const pendingChange = (
      await http()
        .post('/api/v1/grid-changes')
        .set('Authorization', adminA.auth)
        .send({ kind: 'merge', fromGridId: grid2.id, intoGridId: grid1.id, reason: '待审批的合并' })
        .expect(201)
    ).body.id;

    probes = Object.fromEntries(
      [
        { name: 'read grid', method: 'get', path: `/grids/${grid1.id}` },
        { name: 'list micro-grids of grid', method: 'get', path: `/microgrids?gridId=${grid1.id}` },
        { name: 'read firm', method: 'get', path: `/firms/${firm1}` },
        { name: 'read ticket', method: 'get', path: `/tickets/${ticket1}` },
        { name: 'acknowledge ticket', method: 'post', path: `/tickets/${ticket1}/acknowledge` },
        { name: "raise a ticket for the firm", method: 'post', path: '/tickets', body: { firmId: firm1, categoryId: general.id } },
        { name: 'edit firm', method: 'patch', path: `/firms/${firm1}`, body: { name: '被篡改的企业' } },
        { name: 'move firm', method: 'post', path: `/firms/${firm1}/move`, body: { microgridId: m2.id } },
        { name: 'add micro-grid to grid', method: 'post', path: '/microgrids', body: { gridId: grid1.id, name: '越权微网格', kind: 'small_firms' } },
        { name: 'add firm to micro-grid', method: 'post', path: '/firms', body: { name: '越权企业', creditCode: demoCreditCode(777), scale: 'below', microgridId: m1.id } },
        { name: 'edit category', method: 'patch', path: `/categories/${general.id}`, body: { name: '越权类别' } },
        { name: 'edit community', method: 'patch', path: '/community', body: { firmBandMin: 1 } },
        { name: 'invite into firm', method: 'post', path: '/people/invitations', body: { name: '越权', phone: '13711112222', role: 'firm_contact', firmId: firm1 } },
        { name: 'revoke a role', method: 'delete', path: `/role-assignments/${contact1.assignment.id}` },
        { name: 'request a grid change', method: 'post', path: '/grid-changes', body: { kind: 'withdraw', gridId: grid1.id, reason: '越权撤销' } },
        { name: 'read a grid change', method: 'get', path: `/grid-changes/${pendingChange}` },
        { name: 'approve a grid change', method: 'post', path: `/grid-changes/${pendingChange}/approve` },
        { name: 'reject a grid change', method: 'post', path: `/grid-changes/${pendingChange}/reject`, body: { note: '越权驳回' } },
        { name: 'export the roster', method: 'get', path: '/roster/export/firms' },
        { name: "read a worker's ticket", method: 'get', path: `/tickets/${workerTicket}` },
        { name: 'return ticket', method: 'post', path: `/tickets/${ticket1}/return`, body: { reason: '越权退回' } },
        { name: 'transfer ticket', method: 'post', path: `/tickets/${ticket1}/transfer`, body: { toPersonId: contact1.personId, reason: '越权转办' } },
        { name: 'list transfer targets', method: 'get', path: `/tickets/${ticket1}/transfer-targets` },
        { name: 'comment on ticket', method: 'post', path: `/tickets/${ticket1}/comments`, body: { text: '越权评论' } },
        { name: 'check in on ticket', method: 'post', path: `/tickets/${ticket1}/check-in`, body: { latitude: 29.9, longitude: 121.7 } },
        { name: 'resolve ticket', method: 'post', path: `/tickets/${ticket1}/resolve`, body: { note: '越权办结' } },
        { name: 'confirm ticket', method: 'post', path: `/tickets/${ticket1}/confirm`, body: { rating: 1 } },
        { name: 'reopen ticket', method: 'post', path: `/tickets/${ticket1}/reopen`, body: { reason: '越权重办' } },
        { name: 'cancel ticket', method: 'post', path: `/tickets/${ticket1}/cancel`, body: { reason: '越权撤回' } },
        { name: 'supervise ticket', method: 'post', path: `/tickets/${ticket1}/supervise`, body: { note: '越权督办' } },
        { name: 'dispatch ticket to a crew', method: 'post', path: `/tickets/${ticket1}/dispatch`, body: {} },
        { name: "read ticket's dispatch", method: 'get', path: `/tickets/${ticket1}/dispatch` },
        { name: "read ticket's bill", method: 'get', path: `/tickets/${ticket1}/bill` },
        { name: 'accept dispatch', method: 'post', path: `/tickets/${ticket1}/accept` },
        { name: 'decline dispatch', method: 'post', path: `/tickets/${ticket1}/decline`, body: { reason: '越权拒单' } },
        { name: 'arrive on site', method: 'post', path: `/tickets/${ticket1}/arrive`, body: { latitude: 29.9, longitude: 121.7 } },
        { name: 'record a work line', method: 'post', path: `/tickets/${ticket1}/work-lines`, body: { kind: 'service', code: 'S-ELEC-01', quantity: 1 } },
        { name: 'finish as crew', method: 'post', path: `/tickets/${ticket1}/finish`, body: { note: '越权完工' } },
        { name: "comment on a worker's ticket", method: 'post', path: `/tickets/${workerTicket}/comments`, body: { text: '企业想看' } },
        { name: "cancel a worker's ticket", method: 'post', path: `/tickets/${workerTicket}/cancel`, body: {} },
      ].map((p) => [p.name, p as Probe]),
    );
    const all = Object.keys(probes);
    const ticketActions = [
      'return ticket', 'transfer ticket', 'list transfer targets', 'comment on ticket', 'check in on ticket', 'resolve ticket',
      'confirm ticket', 'reopen ticket', 'cancel ticket', 'supervise ticket',
      'dispatch ticket to a crew', "read ticket's dispatch", "read ticket's bill", 'accept dispatch', 'decline dispatch',
      'arrive on site', 'record a work line', 'finish as crew',
    ];
    const adminWrites = ['edit firm', 'move firm', 'add micro-grid to grid', 'add firm to micro-grid', 'edit category', 'edit community', 'invite into firm', 'revoke a role', 'approve a grid change', 'reject a grid change', 'export the roster'];
    // Another community's admin editing or exporting their own community is no probe.
    const foreignProbes = all.filter((p) => p !== 'edit community' && p !== 'export the roster');

    const other = await seedOtherCommunity(t.db);
    for (const [role, id] of Object.entries(other.assignments)) {
      outsiders.push({ who: `${role} of another community`, actor: () => t.as(role as Role, { id }), probes: role === Role.CommunityAdmin ? foreignProbes : all });
    }
    const inGrid2 = { gridId: grid2.id };
    outsiders.push(
      { who: 'grid member of another grid', actor: () => t.as(Role.GridMember, inGrid2), probes: [...ticketActions, 'read grid', 'list micro-grids of grid', 'read firm', 'read ticket', 'acknowledge ticket', 'raise a ticket for the firm', ...adminWrites] },
      { who: 'grid leader of another grid', actor: () => t.as(Role.GridLeader, { gridId: grid3.id }), probes: [...ticketActions, 'read grid', 'read firm', 'read ticket', 'acknowledge ticket', 'request a grid change', 'read a grid change', ...adminWrites] },
      { who: 'firm contact of another firm', actor: () => t.as(Role.FirmContact, { firmId: firm2 }), probes: [...ticketActions, 'read grid', 'read firm', 'read ticket', 'acknowledge ticket', 'raise a ticket for the firm', ...adminWrites] },
      { who: 'micro-grid leader of another micro-grid', actor: () => t.as(Role.MicrogridLeader, { microgridId: m2.id }), probes: [...ticketActions, 'read firm', 'read ticket', 'acknowledge ticket', ...adminWrites] },
      { who: 'department staff of another department', actor: () => t.as(Role.DeptStaff, { departmentId: emergencyDept.id }), probes: [...ticketActions, 'read ticket', 'acknowledge ticket', 'raise a ticket for the firm', ...adminWrites] },
      { who: "firm contact of the worker's own firm", actor: () => t.as(Role.FirmContact, { firmId: worker.assignment.firmId! }), probes: ["read a worker's ticket", "comment on a worker's ticket", "cancel a worker's ticket"] },
      { who: 'crew member', actor: () => t.as(Role.CrewMember), probes: [...ticketActions, 'read ticket', "read a worker's ticket", 'acknowledge ticket', 'raise a ticket for the firm', ...adminWrites] },
      { who: 'worker of another firm', actor: () => t.as(Role.Worker), probes: [...ticketActions, 'read firm', 'read ticket', 'acknowledge ticket', 'raise a ticket for the firm', ...adminWrites] },
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses every probe of every outsider with 403 or not-found, changing nothing', async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const o of outsiders) {
      const actor = await o.actor();
      const before = await checksum();
      for (const name of o.probes) {
        const res = await send(actor, probes[name]);
        tried++;
        const code: string = res.body?.code ?? '';
        const refused =
          (res.status === 403 && code === ErrorCode.Forbidden) ||
          ([404, 422].includes(res.status) && code.endsWith('_NOT_FOUND'));
        if (!refused) failures.push(`${o.who} → ${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
      if ((await checksum()) !== before) failures.push(`${o.who}: the database changed`);
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(100);
  });

  it("shows another community's people nothing of this community in any list", async () => {
    const other = outsiders.filter((o) => o.who.endsWith('of another community'));
    for (const o of other) {
      const actor = await o.actor();
      const communityId = actor.assignment.communityId;
      for (const path of ['/firms', '/grids', '/microgrids', '/categories', '/departments']) {
        const res = await http().get(`/api/v1${path}`).set('Authorization', actor.auth).expect(200);
        const ids = res.body.map((x: { communityId?: number; gridId?: number }) => x.communityId ?? x.gridId);
        if (path === '/microgrids') {
          const grids = (await t.db.getRepository(Grid).findBy({ communityId })).map((g) => g.id);
          expect(ids.every((id: number) => grids.includes(id))).toBe(true);
        } else {
          expect(ids.every((id: number) => id === communityId)).toBe(true);
        }
      }
    }
  });

  it('refuses mass assignment of scope fields even to the admin (400, nothing written)', async () => {
    const admin = await t.as(Role.CommunityAdmin, { communityId: 1 });
    const before = await checksum();
    const firm = await http().get('/api/v1/firms').set('Authorization', admin.auth).expect(200);
    const cases: Probe[] = [
      { name: 'firm into another community', method: 'patch', path: `/firms/${firm.body[0].id}`, body: { communityId: 2 } },
      { name: 'invite with a community', method: 'post', path: '/people/invitations', body: { name: '某人', phone: '13711113333', role: 'community_admin', communityId: 2 } },
      { name: 'grid with a status', method: 'post', path: '/grids', body: { name: '新网格', status: 'withdrawn' } },
    ];
    for (const p of cases) {
      const res = await send(admin, p).expect(400);
      expect(res.body.code).toBe(ErrorCode.ValidationFailed);
    }
    expect(await checksum()).toBe(before);
  });

  it('lets a grid member see their own grid and firms but nobody else’s', async () => {
    const [grid1, grid2] = await t.db.getRepository(Grid).find({ order: { code: 'ASC' }, take: 2 });
    const member = await t.as(Role.GridMember, { gridId: grid1.id });
    const grids = await http().get('/api/v1/grids').set('Authorization', member.auth).expect(200);
    expect(grids.body.map((g: { id: number }) => g.id)).toEqual([grid1.id]);
    const firms = await http().get('/api/v1/firms').set('Authorization', member.auth).expect(200);
    expect(firms.body).toHaveLength(30);
    expect(firms.body.every((f: { gridId: number }) => f.gridId === grid1.id)).toBe(true);
    await http().get(`/api/v1/grids/${grid2.id}`).set('Authorization', member.auth).expect(404);
  });
});
