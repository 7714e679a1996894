import { CatalogueKind, ErrorCode, NotificationKind, Role, StockMovementKind } from '@qihu/contracts';
import request from 'supertest';
import { In, IsNull, Like } from 'typeorm';
import { Tx, TransactionRunner } from '../src/infra/database/transaction';
import { AppError, httpStatusOf } from '../src/infra/http/app-error';
import { RoleAssignment } from '../src/modules/identity/role-assignment.entity';
import { Notification } from '../src/modules/notify/entities';
import { Crew } from '../src/modules/org/crew.entity';
import { Part, PartPrice, ServiceItem, ServiceItemPrice } from '../src/modules/parts/catalogue.entities';
import { PartsService, TakeInput } from '../src/modules/parts/parts.service';
import { Stock, StockMovement, Store } from '../src/modules/parts/stock.entities';
import { OtherCommunity, seedOtherCommunity } from './fixtures';
import { Actor, idempotencyKey, startTestApp, TestApp } from './harness';

const DAY_MS = 86_400_000;

describe('price list, parts catalogue and stock (e2e)', () => {
  let t: TestApp;
  let parts: PartsService;
  let transactions: TransactionRunner;
  let communityId: number;
  let other: OtherCommunity;
  let admin: Actor, contact: Actor, worker: Actor, member: Actor, crew1A: Actor, crew2A: Actor, otherAdmin: Actor;
  let crew1: Crew, crew2: Crew;
  let adminIds: number[];

  const http = () => request(t.app.getHttpServer());
  const get = (actor: Actor, path: string) => http().get(`/api/v1${path}`).set('Authorization', actor.auth);
  const post = (actor: Actor, path: string, body: object, key?: string) => {
    const r = http().post(`/api/v1${path}`).set('Authorization', actor.auth);
    return (key ? r.set('Idempotency-Key', key) : r).send(body);
  };
  const patch = (actor: Actor, path: string, body: object) => http().patch(`/api/v1${path}`).set('Authorization', actor.auth).send(body);

  const priceAt = (kind: CatalogueKind, code: string, at: Date, community = communityId) => parts.priceAt(t.db.manager, community, kind, code, at);
  const take = (input: Omit<TakeInput, 'communityId' | 'personId'>) => transactions.run((tx: Tx) => parts.take(tx, { communityId, personId: crew1A.personId, ...input }));
  const returnFor = (ticketId: number) => transactions.run((tx: Tx) => parts.returnForTicket(tx, ticketId, crew1A.personId));
  const quantityOf = async (storeId: number, partId: number) => (await t.db.getRepository(Stock).findOneBy({ storeId, partId }))?.quantity ?? 0;
  const lowAlerts = (partName: string) => t.db.getRepository(Notification).countBy({ kind: NotificationKind.StockLow, title: Like(`%${partName}%`), personId: In(adminIds) });
  const rejection = async (work: Promise<unknown>): Promise<AppError> => {
    const err = await work.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };

  /** A part (via the API) and a store with `quantity` of it received, for one test's own stock. */
  const stockedPart = async (code: string, name: string, quantity: number, lowThreshold = 0) => {
    const part = (await post(admin, '/parts', { code, name, unit: '个', priceFen: 1000, warrantyDays: 30 }).expect(201)).body;
    const store = (await post(admin, '/stores', { name: `${name}测试库` }).expect(201)).body;
    if (lowThreshold) await patch(admin, `/stores/${store.id}/stock/${part.id}`, { lowThreshold }).expect(200);
    if (quantity) await post(admin, `/stores/${store.id}/receipts`, { partId: part.id, quantity }).expect(201);
    return { partId: part.id as number, storeId: store.id as number };
  };

  beforeAll(async () => {
    t = await startTestApp();
    parts = t.app.get(PartsService);
    transactions = t.app.get(TransactionRunner);
    admin = await t.as(Role.CommunityAdmin);
    communityId = admin.assignment.communityId;
    contact = await t.as(Role.FirmContact);
    worker = await t.as(Role.Worker);
    member = await t.as(Role.GridMember);
    [crew1, crew2] = await t.db.getRepository(Crew).find({ where: { communityId }, order: { id: 'ASC' } });
    crew1A = await t.as(Role.CrewMember, { crewId: crew1.id });
    crew2A = await t.as(Role.CrewMember, { crewId: crew2.id });
    other = await seedOtherCommunity(t.db);
    otherAdmin = await t.as(Role.CommunityAdmin, { id: other.assignments[Role.CommunityAdmin] });
    const admins = await t.db.getRepository(RoleAssignment).findBy({ communityId, role: Role.CommunityAdmin, revokedAt: IsNull() });
    adminIds = [...new Set(admins.map((a) => a.personId))];
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('the demo catalogue', () => {
    it('has the unified price list, open to firm contacts', async () => {
      const res = await get(contact, '/service-items').expect(200);
      expect(res.body.length).toBeGreaterThanOrEqual(10);
      expect(res.body.find((i: { code: string }) => i.code === 'S-ELEC-01')).toMatchObject({
        name: '电气故障检修',
        unit: '次',
        skill: 'electrical',
        skillLabel: '电气',
        active: true,
        current: { version: 1, priceFen: 8000, warrantyDays: 90, validTo: null },
        upcoming: null,
      });
      const electrical = await get(contact, '/service-items?skill=electrical').expect(200);
      expect(electrical.body.length).toBeGreaterThan(0);
      expect(electrical.body.every((i: { skill: string }) => i.skill === 'electrical')).toBe(true);
    });

    it('has parts with prices, and a mid-year price change priced by instant', async () => {
      const res = await get(crew1A, '/parts?q=液压油').expect(200);
      expect(res.body).toEqual([expect.objectContaining({ code: 'P-OIL-HM46', spec: 'L-HM46 18L', unit: '桶' })]);
      const history = await get(contact, `/parts/${res.body[0].id}/prices`).expect(200);
      expect(history.body.map((v: { version: number; priceFen: number }) => [v.version, v.priceFen])).toEqual([
        [2, 45000],
        [1, 42000],
      ]);
      expect(history.body[1].validTo).toBe(history.body[0].validFrom);
      expect(await priceAt('part', 'P-OIL-HM46', new Date('2026-02-01T00:00:00Z'))).toMatchObject({ unitPriceFen: 42000, versionId: history.body[1].id });
      expect(await priceAt('part', 'P-OIL-HM46', new Date('2026-08-01T00:00:00Z'))).toMatchObject({ unitPriceFen: 45000, versionId: history.body[0].id });
      expect(await priceAt('service', 'S-HYD-01', new Date('2026-02-01T00:00:00Z'))).toMatchObject({ kind: 'service', name: '液压系统维修', unitPriceFen: 15000, warrantyDays: 90 });
    });

    it('has a central store and one per crew; a crew member sees only his own', async () => {
      const all = await get(admin, '/stores').expect(200);
      expect(all.body.map((s: { name: string; crewId: number | null }) => [s.name, s.crewId])).toEqual([
        ['中心备件库', null],
        [`${crew1.name}备件库`, crew1.id],
        [`${crew2.name}备件库`, crew2.id],
      ]);
      expect(all.body[1].lowCount).toBeGreaterThanOrEqual(1);
      const own = await get(crew1A, '/stores').expect(200);
      expect(own.body.map((s: { id: number }) => s.id)).toEqual([all.body[1].id]);
      expect(await parts.storeOfCrew(t.db.manager, crew2.id)).toEqual({ id: all.body[2].id, name: `${crew2.name}备件库` });
    });
  });

  describe('catalogue writes', () => {
    it('creates, reads and updates a service item; a retry answers the same item', async () => {
      const body = { code: 'S-TEST-01', name: '空压机检修', unit: '台', skill: 'mechanical', priceFen: 12000, warrantyDays: 60, note: '新增' };
      const created = await post(admin, '/service-items', body).expect(201);
      expect(created.body).toMatchObject({ code: 'S-TEST-01', name: '空压机检修', skillLabel: '机械', active: true, current: { version: 1, priceFen: 12000, warrantyDays: 60, note: '新增', createdBy: admin.personId, createdByName: '陈主任' } });
      const again = await post(admin, '/service-items', body).expect(200);
      expect(again.body.id).toBe(created.body.id);

      const updated = await patch(admin, `/service-items/${created.body.id}`, { name: '空压机保养检修', unit: '次' }).expect(200);
      expect(updated.body).toMatchObject({ name: '空压机保养检修', unit: '次', code: 'S-TEST-01', current: { priceFen: 12000 } });
      expect((await get(member, `/service-items/${created.body.id}`).expect(200)).body.name).toBe('空压机保养检修');
      expect(await t.db.getRepository(ServiceItem).countBy({ code: 'S-TEST-01' })).toBe(1);
    });

    it('refuses a code already used by a different entry (409), writing nothing', async () => {
      const before = await t.db.getRepository(ServiceItem).count();
      const res = await post(admin, '/service-items', { code: 'S-ELEC-01', name: '另一个项目', unit: '次', skill: 'electrical', priceFen: 100, warrantyDays: 0 }).expect(409);
      expect(res.body).toMatchObject({ code: ErrorCode.AlreadyExists, message: '编码 S-ELEC-01 已被服务项目「电气故障检修」使用' });
      expect(await t.db.getRepository(ServiceItem).count()).toBe(before);
    });

    it('creates and updates a part; filters by active', async () => {
      const created = await post(admin, '/parts', { code: 'P-TEST-RELAY', name: '中间继电器', spec: 'MY2NJ 220V', unit: '个', priceFen: 1500, warrantyDays: 180 }).expect(201);
      expect(created.body).toMatchObject({ spec: 'MY2NJ 220V', current: { priceFen: 1500, warrantyDays: 180 } });
      await patch(admin, `/parts/${created.body.id}`, { spec: 'MY4NJ 220V', active: false }).expect(200);
      const inactive = await get(admin, '/parts?active=false').expect(200);
      expect(inactive.body).toEqual([expect.objectContaining({ id: created.body.id, spec: 'MY4NJ 220V', active: false })]);
      const active = await get(admin, '/parts?active=true').expect(200);
      expect(active.body.some((p: { id: number }) => p.id === created.body.id)).toBe(false);
    });

    it('answers 400 with Chinese messages for bad input, writing nothing', async () => {
      const good = { code: 'S-BAD-01', name: '测试', unit: '次', skill: 'other', priceFen: 100, warrantyDays: 10 };
      const items = await t.db.getRepository(ServiceItem).count();
      const versions = await t.db.getRepository(ServiceItemPrice).count();
      for (const [bad, field] of [
        [{ priceFen: -1 }, 'priceFen'],
        [{ priceFen: 12.5 }, 'priceFen'],
        [{ warrantyDays: 3651 }, 'warrantyDays'],
        [{ warrantyDays: -1 }, 'warrantyDays'],
        [{ code: '电气01' }, 'code'],
        [{ skill: 'plumbing' }, 'skill'],
        [{ name: '   ' }, 'name'],
        [{ price: 100 }, 'price'],
        [{ validFrom: '明天' }, 'validFrom'],
      ] as const) {
        const res = await post(admin, '/service-items', { ...good, ...bad }).expect(400);
        expect(res.body.code).toBe(ErrorCode.ValidationFailed);
        expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
        expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      }
      const past = await post(admin, '/service-items', { ...good, validFrom: new Date(Date.now() - DAY_MS).toISOString() }).expect(400);
      expect(past.body.message).toContain('不能早于现在');
      const onItem = await post(admin, '/service-items/1/prices', { priceFen: -5, warrantyDays: 0 }).expect(400);
      expect(onItem.body.code).toBe(ErrorCode.ValidationFailed);
      expect(await t.db.getRepository(ServiceItem).count()).toBe(items);
      expect(await t.db.getRepository(ServiceItemPrice).count()).toBe(versions);
    });
  });

  describe('who may read and write', () => {
    it('lets firm contacts, staff and crews read but only the admin write (403)', async () => {
      const [item] = (await get(admin, '/service-items?q=S-ELEC-01').expect(200)).body;
      const [part] = (await get(admin, '/parts?q=P-MCB-C32').expect(200)).body;
      for (const reader of [contact, member, crew1A]) {
        await get(reader, '/service-items').expect(200);
        await get(reader, `/parts/${part.id}/prices`).expect(200);
      }
      for (const outsider of [contact, member, crew1A]) {
        const writes = [
          post(outsider, '/service-items', { code: 'S-NO-01', name: '不行', unit: '次', skill: 'other', priceFen: 1, warrantyDays: 0 }),
          patch(outsider, `/service-items/${item.id}`, { name: '改名' }),
          post(outsider, `/service-items/${item.id}/prices`, { priceFen: 1, warrantyDays: 0 }),
          post(outsider, '/parts', { code: 'P-NO-01', name: '不行', unit: '个', priceFen: 1, warrantyDays: 0 }),
          post(outsider, `/parts/${part.id}/prices`, { priceFen: 1, warrantyDays: 0 }),
          post(outsider, '/stores', { name: '不行' }),
        ];
        for (const res of await Promise.all(writes)) expect([res.status, res.body.code]).toEqual([403, ErrorCode.Forbidden]);
      }
      const workerRead = await get(worker, '/service-items').expect(403);
      expect(workerRead.body.code).toBe(ErrorCode.Forbidden);
      await get(contact, '/stores').expect(403);
      await get(member, '/stock/low').expect(403);
      await get(crew1A, '/stock/low').expect(403);
      expect(await t.db.getRepository(ServiceItem).findOneByOrFail({ id: item.id })).toMatchObject({ name: '电气故障检修' });
    });

    it("answers 404 for another community's entries and stores, and shows none of them", async () => {
      const [item] = (await get(admin, '/service-items?q=S-ELEC-01').expect(200)).body;
      const [part] = (await get(admin, '/parts?q=P-MCB-C32').expect(200)).body;
      const [central] = (await get(admin, '/stores').expect(200)).body;
      expect((await get(otherAdmin, '/service-items').expect(200)).body).toEqual([]);
      expect((await get(otherAdmin, '/stores').expect(200)).body).toEqual([]);
      const probes = [
        get(otherAdmin, `/service-items/${item.id}`),
        get(otherAdmin, `/service-items/${item.id}/prices`),
        patch(otherAdmin, `/service-items/${item.id}`, { name: '改名' }),
        post(otherAdmin, `/service-items/${item.id}/prices`, { priceFen: 1, warrantyDays: 0 }),
        post(otherAdmin, `/parts/${part.id}/prices`, { priceFen: 1, warrantyDays: 0 }),
        get(otherAdmin, `/stores/${central.id}/stock`),
        get(otherAdmin, `/stores/${central.id}/movements`),
        post(otherAdmin, `/stores/${central.id}/receipts`, { partId: part.id, quantity: 1 }),
        post(otherAdmin, `/stores/${central.id}/adjustments`, { partId: part.id, countedQuantity: 0, reason: '试探' }),
        patch(otherAdmin, `/stores/${central.id}/stock/${part.id}`, { lowThreshold: 1 }),
      ];
      for (const res of await Promise.all(probes)) expect([res.status, res.body.code]).toEqual([404, ErrorCode.NotFound]);
      const err = await rejection(priceAt('service', 'S-ELEC-01', new Date(), other.communityId));
      expect(err.code).toBe(ErrorCode.PriceItemNotFound);
      expect(await quantityOf(central.id, part.id)).toBe(40);
    });

    it("answers 404 to a crew member for another crew's store, and shows him his own", async () => {
      const [, store1, store2] = (await get(admin, '/stores').expect(200)).body;
      const res = await get(crew2A, `/stores/${store1.id}/stock`).expect(404);
      expect(res.body.code).toBe(ErrorCode.NotFound);
      await get(crew2A, `/stores/${store1.id}/movements`).expect(404);
      const own = await get(crew2A, `/stores/${store2.id}/stock`).expect(200);
      expect(own.body.store).toMatchObject({ id: store2.id, crewId: crew2.id });
      expect(own.body.lines.find((l: { partCode: string }) => l.partCode === 'P-BELT-B1600')).toMatchObject({ quantity: 4, lowThreshold: 3, low: false });
      await post(crew2A, `/stores/${store2.id}/receipts`, { partId: own.body.lines[0].partId, quantity: 1 }).expect(403);
    });
  });

  describe('price versions', () => {
    let itemId: number;
    let firstFrom: Date;

    beforeAll(async () => {
      const res = await post(admin, '/service-items', { code: 'S-VER-01', name: '变频器维修', unit: '台', skill: 'electrical', priceFen: 10000, warrantyDays: 90 }).expect(201);
      itemId = res.body.id;
      firstFrom = new Date(res.body.current.validFrom);
    });

    it('a price change is a new version: instants before it keep the old price', async () => {
      const res = await post(admin, `/service-items/${itemId}/prices`, { priceFen: 12000, warrantyDays: 60, note: '调价' }).expect(201);
      expect(res.body).toMatchObject({ version: 2, priceFen: 12000, warrantyDays: 60, validTo: null, note: '调价' });
      const history = (await get(admin, `/service-items/${itemId}/prices`).expect(200)).body;
      expect(history.map((v: { version: number; priceFen: number }) => [v.version, v.priceFen])).toEqual([
        [2, 12000],
        [1, 10000],
      ]);
      expect(history[1].validTo).toBe(history[0].validFrom);
      expect(await priceAt('service', 'S-VER-01', firstFrom)).toMatchObject({ unitPriceFen: 10000, warrantyDays: 90, versionId: history[1].id });
      expect(await priceAt('service', 'S-VER-01', new Date())).toMatchObject({ unitPriceFen: 12000, warrantyDays: 60, versionId: history[0].id });
      expect(await t.db.getRepository(ServiceItemPrice).findOneByOrFail({ id: history[1].id })).toMatchObject({ priceFen: 10000, warrantyDays: 90 });
    });

    it('a future-dated version shows as upcoming and prices only instants from its start', async () => {
      const from = new Date(Date.now() + DAY_MS);
      const res = await post(admin, `/service-items/${itemId}/prices`, { priceFen: 15000, warrantyDays: 90, validFrom: from.toISOString() }).expect(201);
      expect(res.body).toMatchObject({ version: 3, validFrom: from.toISOString() });
      const item = (await get(contact, `/service-items/${itemId}`).expect(200)).body;
      expect(item.current).toMatchObject({ version: 2, priceFen: 12000, validTo: from.toISOString() });
      expect(item.upcoming).toMatchObject({ version: 3, priceFen: 15000, validTo: null });
      expect((await priceAt('service', 'S-VER-01', new Date())).unitPriceFen).toBe(12000);
      expect((await priceAt('service', 'S-VER-01', new Date(from.getTime() - 1))).unitPriceFen).toBe(12000);
      expect((await priceAt('service', 'S-VER-01', from)).unitPriceFen).toBe(15000);

      // The same version sent again answers it; nothing is added.
      const retry = await post(admin, `/service-items/${itemId}/prices`, { priceFen: 15000, warrantyDays: 90, validFrom: from.toISOString() }).expect(200);
      expect(retry.body.id).toBe(res.body.id);
    });

    it('refuses a start in the past or before the latest version, writing nothing', async () => {
      const before = await t.db.getRepository(ServiceItemPrice).countBy({ itemId });
      const beforeLatest = await post(admin, `/service-items/${itemId}/prices`, { priceFen: 13000, warrantyDays: 90 }).expect(400);
      expect(beforeLatest.body).toMatchObject({ code: ErrorCode.ValidationFailed, message: expect.stringContaining('须晚于最近一次价格的生效时间') });
      const past = await post(admin, `/service-items/${itemId}/prices`, { priceFen: 13000, warrantyDays: 90, validFrom: new Date(Date.now() - DAY_MS).toISOString() }).expect(400);
      expect(past.body.message).toContain('不能早于现在');
      expect(await t.db.getRepository(ServiceItemPrice).countBy({ itemId })).toBe(before);
    });

    it('prices parts the same way', async () => {
      const part = (await post(admin, '/parts', { code: 'P-VER-01', name: '变频器风扇', unit: '个', priceFen: 2000, warrantyDays: 90 }).expect(201)).body;
      await post(admin, `/parts/${part.id}/prices`, { priceFen: 2500, warrantyDays: 90 }).expect(201);
      expect(await priceAt('part', 'P-VER-01', new Date(part.current.validFrom))).toMatchObject({ kind: 'part', itemId: part.id, unitPriceFen: 2000, unit: '个' });
      expect((await priceAt('part', 'P-VER-01', new Date())).unitPriceFen).toBe(2500);
      expect(await t.db.getRepository(PartPrice).countBy({ itemId: part.id })).toBe(2);
    });

    it('finds no price for an unknown or inactive code, naming it', async () => {
      const unknown = await rejection(priceAt('service', 'S-NOPE', new Date()));
      expect([unknown.code, httpStatusOf(unknown.code)]).toEqual([ErrorCode.PriceItemNotFound, 422]);
      expect(unknown.message).toContain('S-NOPE');
      const unknownPart = await rejection(priceAt('part', 'P-NOPE', new Date()));
      expect(unknownPart.code).toBe(ErrorCode.PartNotFound);
      expect(unknownPart.message).toContain('P-NOPE');
      await patch(admin, `/service-items/${itemId}`, { active: false }).expect(200);
      const inactive = await rejection(priceAt('service', 'S-VER-01', new Date()));
      expect(inactive.code).toBe(ErrorCode.PriceItemNotFound);
      expect(inactive.message).toContain('已停用');
      const beforeAny = await rejection(priceAt('part', 'P-MCB-C32', new Date('2025-06-01T00:00:00Z')));
      expect(beforeAny.code).toBe(ErrorCode.PartNotFound);
    });
  });

  describe('stores and stock', () => {
    it('creates a store once; a clash of name or crew is 409, an unknown crew 422', async () => {
      const created = await post(admin, '/stores', { name: '二号仓库' }).expect(201);
      expect(created.body).toEqual({ id: expect.any(Number), name: '二号仓库', crewId: null, crewName: null, lowCount: 0 });
      expect((await post(admin, '/stores', { name: '二号仓库' }).expect(200)).body.id).toBe(created.body.id);
      const sameName = await post(admin, '/stores', { name: '二号仓库', crewId: crew1.id }).expect(409);
      expect(sameName.body.message).toContain('二号仓库');
      const secondForCrew = await post(admin, '/stores', { name: '一队第二仓库', crewId: crew1.id }).expect(409);
      expect(secondForCrew.body).toMatchObject({ code: ErrorCode.AlreadyExists, message: `${crew1.name}已有备件库，每个维修队一个` });
      const unknownCrew = await post(admin, '/stores', { name: '幽灵仓库', crewId: 999999 }).expect(422);
      expect(unknownCrew.body.code).toBe(ErrorCode.CrewNotFound);
      expect(await t.db.getRepository(Store).countBy({ name: In(['一队第二仓库', '幽灵仓库']) })).toBe(0);
    });

    it('receives parts; the same Idempotency-Key answers the same receipt', async () => {
      const { partId, storeId } = await stockedPart('P-RCV-01', '收货测试件', 0);
      const key = idempotencyKey();
      const first = await post(admin, `/stores/${storeId}/receipts`, { partId, quantity: 10, note: '首批' }, key).expect(201);
      expect(first.body).toMatchObject({ kind: StockMovementKind.Receive, kindLabel: '入库', quantity: 10, balanceAfter: 10, note: '首批', personId: admin.personId, partCode: 'P-RCV-01' });
      const again = await post(admin, `/stores/${storeId}/receipts`, { partId, quantity: 10, note: '首批' }, key).expect(200);
      expect(again.body).toEqual(first.body);
      expect(await quantityOf(storeId, partId)).toBe(10);
      const reused = await post(admin, `/stores/${storeId}/receipts`, { partId, quantity: 5 }, key).expect(422);
      expect(reused.body.code).toBe(ErrorCode.IdempotencyKeyReused);
      const both = await Promise.all([1, 2, 3].map(() => post(admin, `/stores/${storeId}/receipts`, { partId, quantity: 2 }, 'concurrent-receipt-key-1')));
      expect(both.map((r) => r.status).sort()).toEqual([200, 200, 201]);
      expect(new Set(both.map((r) => r.body.id)).size).toBe(1);
      expect(await quantityOf(storeId, partId)).toBe(12);
    });

    it('refuses a receipt of an unknown, foreign or inactive part (422) and bad quantities (400)', async () => {
      const { partId, storeId } = await stockedPart('P-RCV-02', '拒收测试件', 0);
      const otherPart = await t.db.getRepository(Part).save({ communityId: other.communityId, code: 'P-OTHER', name: '邻社区配件', spec: '', unit: '个', active: true, createdAt: new Date(), updatedAt: new Date() });
      for (const id of [999999, otherPart.id]) {
        const res = await post(admin, `/stores/${storeId}/receipts`, { partId: id, quantity: 1 }).expect(422);
        expect(res.body.code).toBe(ErrorCode.PartNotFound);
      }
      await patch(admin, `/parts/${partId}`, { active: false }).expect(200);
      expect((await post(admin, `/stores/${storeId}/receipts`, { partId, quantity: 1 }).expect(422)).body.message).toContain('已停用');
      for (const quantity of [0, -3, 1.5, 1_000_001]) await post(admin, `/stores/${storeId}/receipts`, { partId, quantity }).expect(400);
      await post(admin, `/stores/${storeId}/receipts`, { partId, quantity: 1 }, 'bad key!').expect(400);
      expect(await t.db.getRepository(StockMovement).countBy({ storeId })).toBe(0);
    });

    it('takes for a ticket, refuses a shortage without change, returns on cancel, and counts a stocktake', async () => {
      const { partId, storeId } = await stockedPart('P-FLOW-01', '流程测试接触器', 10, 3);
      expect(await take({ storeId, partId, quantity: 4, ticketId: 900001, reference: 'flow-1' })).toEqual({ remaining: 6 });

      const movementsBefore = await t.db.getRepository(StockMovement).countBy({ storeId });
      const short = await rejection(take({ storeId, partId, quantity: 7, ticketId: 900001, reference: 'flow-2' }));
      expect([short.code, httpStatusOf(short.code)]).toEqual([ErrorCode.StockInsufficient, 409]);
      expect(short.message).toBe('「流程测试接触器」库存不足：需要 7个，流程测试接触器测试库只剩 6个');
      expect(short.details).toMatchObject({ requested: 7, available: 6 });
      expect(await quantityOf(storeId, partId)).toBe(6);
      expect(await t.db.getRepository(StockMovement).countBy({ storeId })).toBe(movementsBefore);

      expect(await take({ storeId, partId, quantity: 3, ticketId: 900001, reference: 'flow-3' })).toEqual({ remaining: 3 });
      expect(await take({ storeId, partId, quantity: 1, ticketId: 900002, reference: 'flow-4' })).toEqual({ remaining: 2 });

      expect(await returnFor(900001)).toBe(2);
      expect(await quantityOf(storeId, partId)).toBe(9);
      expect(await returnFor(900001)).toBe(0);
      expect(await quantityOf(storeId, partId)).toBe(9);
      expect(await returnFor(900003)).toBe(0);

      const counted = await post(admin, `/stores/${storeId}/adjustments`, { partId, countedQuantity: 7, reason: '月度盘点少 2 个' }).expect(201);
      expect(counted.body).toMatchObject({ kind: StockMovementKind.Adjust, quantity: -2, balanceAfter: 7, note: '月度盘点少 2 个' });
      expect(await quantityOf(storeId, partId)).toBe(7);
      await post(admin, `/stores/${storeId}/adjustments`, { partId, countedQuantity: 7 }).expect(400);

      const ledger = (await get(admin, `/stores/${storeId}/movements`).expect(200)).body;
      expect(ledger.items.map((m: { kind: string; quantity: number; balanceAfter: number; ticketId: number | null }) => [m.kind, m.quantity, m.balanceAfter, m.ticketId])).toEqual([
        ['adjust', -2, 7, null],
        ['return', 3, 9, 900001],
        ['return', 4, 6, 900001],
        ['take', -1, 2, 900002],
        ['take', -3, 3, 900001],
        ['take', -4, 6, 900001],
        ['receive', 10, 10, null],
      ]);
      const takes = ledger.items.filter((m: { kind: string }) => m.kind === 'take');
      const returns = ledger.items.filter((m: { kind: string }) => m.kind === 'return');
      expect(returns.map((r: { takeId: number }) => r.takeId).sort()).toEqual([takes[1].id, takes[2].id].sort());
      const page = (await get(admin, `/stores/${storeId}/movements?limit=3`).expect(200)).body;
      expect(page.items).toHaveLength(3);
      const next = (await get(admin, `/stores/${storeId}/movements?limit=3&beforeId=${page.nextBeforeId}`).expect(200)).body;
      expect(next.items[0].id).toBe(ledger.items[3].id);
      const stock = (await get(admin, `/stores/${storeId}/stock`).expect(200)).body;
      expect(stock.lines).toEqual([expect.objectContaining({ partId, quantity: 7, lowThreshold: 3, low: false })]);
    });

    it('a take with the same reference is a no-op answering the same remaining; another take under it is refused', async () => {
      const { partId, storeId } = await stockedPart('P-IDEM-01', '幂等测试件', 5);
      expect(await take({ storeId, partId, quantity: 2, ticketId: 900010, reference: 'idem-1' })).toEqual({ remaining: 3 });
      expect(await take({ storeId, partId, quantity: 1, ticketId: 900010, reference: 'idem-2' })).toEqual({ remaining: 2 });
      expect(await take({ storeId, partId, quantity: 2, ticketId: 900010, reference: 'idem-1' })).toEqual({ remaining: 3 });
      expect(await quantityOf(storeId, partId)).toBe(2);
      const twins = await Promise.all([1, 2, 3].map(() => take({ storeId, partId, quantity: 1, ticketId: 900010, reference: 'idem-3' })));
      expect(twins).toEqual([{ remaining: 1 }, { remaining: 1 }, { remaining: 1 }]);
      expect(await quantityOf(storeId, partId)).toBe(1);
      const reused = await rejection(take({ storeId, partId, quantity: 5, ticketId: 900010, reference: 'idem-1' }));
      expect(reused.code).toBe(ErrorCode.IdempotencyKeyReused);
      expect(await t.db.getRepository(StockMovement).countBy({ storeId, kind: StockMovementKind.Take })).toBe(3);
    });

    it('refuses a take from a store or of a part outside the community', async () => {
      const { partId, storeId } = await stockedPart('P-SCOPE-01', '范围测试件', 5);
      const store = await rejection(transactions.run((tx) => parts.take(tx, { communityId: other.communityId, storeId, partId, quantity: 1, ticketId: 1, personId: crew1A.personId, reference: 'scope-1' })));
      expect([store.code, httpStatusOf(store.code)]).toEqual([ErrorCode.StoreNotFound, 422]);
      const part = await rejection(take({ storeId, partId: 999999, quantity: 1, ticketId: 1, reference: 'scope-2' }));
      expect(part.code).toBe(ErrorCode.PartNotFound);
      const zero = await rejection(take({ storeId, partId, quantity: 0, ticketId: 1, reference: 'scope-3' }));
      expect(zero.code).toBe(ErrorCode.ValidationFailed);
      expect(await quantityOf(storeId, partId)).toBe(5);
    });

    it('concurrent takes on the last units: exactly the available number succeed, never below zero', async () => {
      const { partId, storeId } = await stockedPart('P-RACE-01', '并发测试件', 3);
      const results = await Promise.allSettled([1, 2, 3, 4, 5, 6, 7].map((n) => take({ storeId, partId, quantity: 1, ticketId: 900020 + n, reference: `race-${n}` })));
      const taken = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(taken).toHaveLength(3);
      expect(refused).toHaveLength(4);
      for (const r of refused) expect((r.reason as AppError).code).toBe(ErrorCode.StockInsufficient);
      expect(taken.map((r) => (r as PromiseFulfilledResult<{ remaining: number }>).value.remaining).sort()).toEqual([0, 1, 2]);
      expect(await quantityOf(storeId, partId)).toBe(0);
      expect(await t.db.getRepository(StockMovement).countBy({ storeId, kind: StockMovementKind.Take })).toBe(3);
    });

    it('tells every admin once when a take makes the part low, and lists it under /stock/low', async () => {
      const { partId, storeId } = await stockedPart('P-LOW-01', '预警测试阀', 6, 3);
      await take({ storeId, partId, quantity: 2, ticketId: 900030, reference: 'low-1' });
      expect(await lowAlerts('预警测试阀')).toBe(0);
      await take({ storeId, partId, quantity: 1, ticketId: 900030, reference: 'low-2' });
      expect(await lowAlerts('预警测试阀')).toBe(adminIds.length);
      const [alert] = await t.db.getRepository(Notification).findBy({ kind: NotificationKind.StockLow, title: Like('%预警测试阀%') });
      expect(alert).toMatchObject({ personId: admin.personId, ticketId: null, title: '库存预警：预警测试阀', body: '预警测试阀测试库的「预警测试阀」只剩 3个（预警值 3个），请及时补货。' });
      await take({ storeId, partId, quantity: 1, ticketId: 900030, reference: 'low-3' });
      await take({ storeId, partId, quantity: 1, ticketId: 900030, reference: 'low-2' });
      expect(await lowAlerts('预警测试阀')).toBe(adminIds.length);

      const low = (await get(admin, '/stock/low').expect(200)).body;
      expect(low).toEqual(expect.arrayContaining([expect.objectContaining({ storeId, partId, quantity: 2, lowThreshold: 3, low: true })]));
      expect(low.every((l: { quantity: number; lowThreshold: number }) => l.quantity <= l.lowThreshold)).toBe(true);
      expect((await get(admin, '/stores').expect(200)).body.find((s: { id: number }) => s.id === storeId).lowCount).toBe(1);

      // Back above the threshold (a return), then down again: a new crossing, a new alert.
      expect(await returnFor(900030)).toBe(3);
      expect(await quantityOf(storeId, partId)).toBe(6);
      await take({ storeId, partId, quantity: 4, ticketId: 900031, reference: 'low-4' });
      expect(await lowAlerts('预警测试阀')).toBe(2 * adminIds.length);
    });

    it('sets a low-stock threshold, also for a part the store never had', async () => {
      const [central] = (await get(admin, '/stores').expect(200)).body;
      const part = (await post(admin, '/parts', { code: 'P-THR-01', name: '阈值测试件', unit: '只', priceFen: 100, warrantyDays: 0 }).expect(201)).body;
      const line = await patch(admin, `/stores/${central.id}/stock/${part.id}`, { lowThreshold: 2 }).expect(200);
      expect(line.body).toMatchObject({ storeId: central.id, partId: part.id, quantity: 0, lowThreshold: 2, low: true, unit: '只' });
      await patch(admin, `/stores/${central.id}/stock/999999`, { lowThreshold: 2 }).expect(404);
      await patch(admin, `/stores/${central.id}/stock/${part.id}`, { lowThreshold: -1 }).expect(400);
      await patch(crew1A, `/stores/${central.id}/stock/${part.id}`, { lowThreshold: 5 }).expect(403);
      expect(await t.db.getRepository(Stock).findOneByOrFail({ storeId: central.id, partId: part.id })).toMatchObject({ quantity: 0, lowThreshold: 2 });
    });
  });
});
