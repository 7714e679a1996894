import { BillView, CrewView, DispatchState, ErrorCode, Role, TicketAction, TicketStatus, TicketView } from '@qihu/contracts';
import request from 'supertest';
import { Not } from 'typeorm';
import { Category } from '../src/modules/org/category.entity';
import { Firm } from '../src/modules/org/firm.entity';
import { Actor, idempotencyKey, startTestApp, TestApp, waitFor } from './harness';

/** 30 min × 0.01 = 18 s on site, 10 min × 0.01 = 6 s to accept a dispatch. */
const TIME_SCALE = 0.01;

describe('dispatch to maintenance crews (e2e, real MySQL + Redis + BullMQ)', () => {
  let t: TestApp;
  let equipmentCategory: number;
  let firm: Firm;
  let machine: { code: string; labelToken: string };
  let otherMachine: { code: string };
  let contact: Actor;
  let member: Actor;
  let crew1: Actor;
  let crew2: Actor;
  let crew1Id: number;
  let crew1Store: number;

  beforeAll(async () => {
    t = await startTestApp({ SLA_TIME_SCALE: String(TIME_SCALE), RECONCILE_INTERVAL_MS: '250' });
    equipmentCategory = (await t.db.getRepository(Category).findOneByOrFail({ code: 'equipment' })).id;
    // An electrical machine of a demo firm (crew 1 is the electrical crew), and a machine of another firm.
    [machine] = await t.db.query("SELECT code, firm_id AS firmId, label_token AS labelToken FROM equipment WHERE skill = 'electrical' ORDER BY id LIMIT 1");
    const firmId = Number((machine as unknown as { firmId: number }).firmId);
    [otherMachine] = await t.db.query('SELECT code FROM equipment WHERE firm_id <> ? ORDER BY id LIMIT 1', [firmId]);
    firm = await t.db.getRepository(Firm).findOneByOrFail({ id: firmId });
    contact = await t.as(Role.FirmContact, { firmId });
    const [placement] = await t.db.query('SELECT grid_id AS gridId FROM firm_placement WHERE firm_id = ? AND effective_to IS NULL', [firmId]);
    member = await t.as(Role.GridMember, { gridId: Number(placement.gridId) });
    const crews: Array<{ id: number }> = await t.db.query('SELECT id FROM crew ORDER BY id');
    crew1Id = Number(crews[0].id);
    crew1 = await t.as(Role.CrewMember, { crewId: crew1Id });
    crew2 = await t.as(Role.CrewMember, { crewId: Not(crew1Id) });
    crew1Store = Number((await t.db.query('SELECT id FROM store WHERE crew_id = ?', [crew1Id]))[0].id);
  });

  afterAll(async () => {
    await t?.close();
  });

  const http = () => request(t.app.getHttpServer());
  const act = (id: number, action: string, as: Actor, body: object = {}, key?: string) => {
    const req = http().post(`/api/v1/tickets/${id}/${action}`).set('Authorization', as.auth);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const stockOf = async (code: string): Promise<number> =>
    Number((await t.db.query('SELECT s.quantity FROM stock s JOIN part p ON p.id = s.part_id WHERE s.store_id = ? AND p.code = ?', [crew1Store, code]))[0].quantity);
  const bill = async (id: number, as: Actor = contact): Promise<BillView> =>
    (await http().get(`/api/v1/tickets/${id}/bill`).set('Authorization', as.auth).expect(200)).body;
  const acknowledged = async (): Promise<TicketView> => {
    const raised: TicketView = (
      await http()
        .post('/api/v1/tickets')
        .set('Authorization', contact.auth)
        .set('Idempotency-Key', idempotencyKey())
        .send({ categoryId: equipmentCategory, description: '配电柜跳闸', equipmentCode: machine.code })
        .expect(201)
    ).body;
    await act(raised.id, 'acknowledge', member).expect(200);
    return raised;
  };
  const onSite = async (): Promise<TicketView> => {
    const ticket = await acknowledged();
    await act(ticket.id, 'dispatch', member, { crewId: crew1Id }).expect(200);
    await act(ticket.id, 'accept', crew1).expect(200);
    await act(ticket.id, 'arrive', crew1, { latitude: firm.latitude, longitude: firm.longitude }).expect(200);
    return ticket;
  };

  it('dispatches to a crew, which alone may see and accept it; the on-site clock runs', async () => {
    const ticket = await acknowledged();
    expect((await act(ticket.id, 'dispatch', contact, { crewId: crew1Id }).expect(403)).body.code).toBe(ErrorCode.Forbidden);
    expect((await act(ticket.id, 'dispatch', member, { crewId: 99999 }).expect(422)).body.code).toBe(ErrorCode.CrewNotFound);
    const sent: TicketView = (await act(ticket.id, 'dispatch', member, { crewId: crew1Id, note: '请带空开' }).expect(200)).body;
    expect(sent).toMatchObject({ status: TicketStatus.Dispatched, deadline: { kind: 'on_site', label: '到场时限' } });
    expect(sent.events.at(-1)).toMatchObject({ type: TicketAction.Dispatch, data: { crewId: crew1Id, auto: false } });
    await http().get(`/api/v1/tickets/${ticket.id}`).set('Authorization', crew2.auth).expect(404);
    const seen: TicketView = (await http().get(`/api/v1/tickets/${ticket.id}`).set('Authorization', crew1.auth).expect(200)).body;
    expect(seen.actions).toEqual(expect.arrayContaining([TicketAction.Accept, TicketAction.Decline]));
    expect((await act(ticket.id, 'accept', crew2).expect(404)).body.code).toBe(ErrorCode.TicketNotFound);
    expect((await act(ticket.id, 'accept', member).expect(403)).body.code).toBe(ErrorCode.Forbidden);
    const accepted: TicketView = (await act(ticket.id, 'accept', crew1).expect(200)).body;
    expect(accepted.status).toBe(TicketStatus.Accepted);
    const dispatch = (await http().get(`/api/v1/tickets/${ticket.id}/dispatch`).set('Authorization', contact.auth).expect(200)).body;
    expect(dispatch).toMatchObject({ crewId: crew1Id, state: DispatchState.Accepted, stateLabel: '已接单', note: '请带空开' });
    const list = (await http().get('/api/v1/dispatches').set('Authorization', crew1.auth).expect(200)).body;
    expect(list.map((d: { ticketId: number }) => d.ticketId)).toContain(ticket.id);
  });

  it('stops the on-site clock only on proof: inside the geofence or the label of one of the firm machines', async () => {
    const ticket = await acknowledged();
    await act(ticket.id, 'dispatch', member, { crewId: crew1Id }).expect(200);
    await act(ticket.id, 'accept', crew1).expect(200);
    const far = await act(ticket.id, 'arrive', crew1, { latitude: firm.latitude! + 0.02, longitude: firm.longitude }).expect(422);
    expect(far.body.code).toBe(ErrorCode.OutsideGeofence);
    expect(far.body.details.distanceM).toBeGreaterThan(2000);
    const foreign = await act(ticket.id, 'arrive', crew1, { label: `qihu:e:${otherMachine.code}` }).expect(404);
    expect(foreign.body.code).toBe(ErrorCode.EquipmentNotFound);
    // A typed code, or a label without its token, proves nothing.
    expect((await act(ticket.id, 'arrive', crew1, { label: machine.code }).expect(404)).body.code).toBe(ErrorCode.EquipmentNotFound);
    const arrived: TicketView = (await act(ticket.id, 'arrive', crew1, { label: `qihu:e:${machine.code}:${machine.labelToken}` }).expect(200)).body;
    expect(arrived).toMatchObject({ status: TicketStatus.OnSite, deadline: { kind: 'resolve' } });
    expect(arrived.events.at(-1)).toMatchObject({ type: TicketAction.CheckIn, data: { proof: 'label', equipmentCode: machine.code } });
    const near = await acknowledged();
    await act(near.id, 'dispatch', member, { crewId: crew1Id }).expect(200);
    await act(near.id, 'accept', crew1).expect(200);
    const byPlace: TicketView = (await act(near.id, 'arrive', crew1, { latitude: firm.latitude! + 0.001, longitude: firm.longitude }).expect(200)).body;
    expect(byPlace.events.at(-1)!.data).toMatchObject({ proof: 'geofence', distanceM: 111 });
  });

  it('records items and parts at list prices, takes parts from the crew store, and bills the firm', async () => {
    const ticket = await onSite();
    const before = await stockOf('P-MCB-C32');
    await act(ticket.id, 'work-lines', crew1, { kind: 'service', code: 'S-ELEC-01', quantity: 1 }).expect(200);
    const key = idempotencyKey();
    await act(ticket.id, 'work-lines', crew1, { kind: 'part', code: 'P-MCB-C32', quantity: 2 }, key).expect(200);
    await act(ticket.id, 'work-lines', crew1, { kind: 'part', code: 'P-MCB-C32', quantity: 2 }, key).expect(200); // a retry
    expect(await stockOf('P-MCB-C32')).toBe(before - 2);
    expect((await act(ticket.id, 'work-lines', crew1, { kind: 'part', code: 'NO-SUCH', quantity: 1 }).expect(422)).body.code).toBe(ErrorCode.PartNotFound);
    expect((await act(ticket.id, 'work-lines', crew1, { kind: 'service', code: 'S-ELEC-01', quantity: 0 }).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
    expect((await act(ticket.id, 'work-lines', crew1, { kind: 'part', code: 'P-MCB-C32', quantity: 999 }).expect(409)).body.code).toBe(ErrorCode.StockInsufficient);
    expect(await stockOf('P-MCB-C32')).toBe(before - 2);
    const draft = await bill(ticket.id);
    expect(draft.lines.map((l) => [l.code, l.quantity, l.unitPriceFen, l.amountFen, l.warranty])).toEqual([
      ['S-ELEC-01', 1, 8000, 8000, false],
      ['P-MCB-C32', 2, 4500, 9000, false],
    ]);
    expect(draft).toMatchObject({ totalFen: 17000, totalYuan: '170.00', listTotalFen: 17000 });
    const done: TicketView = (await act(ticket.id, 'finish', crew1, { note: '更换空开，恢复供电' }).expect(200)).body;
    expect(done).toMatchObject({ status: TicketStatus.Resolved, deadline: { kind: 'confirm' } });
    expect((await act(ticket.id, 'work-lines', crew1, { kind: 'service', code: 'S-ELEC-01', quantity: 1 }).expect(409)).body.code).toBe(ErrorCode.TransitionNotAllowed);
    await act(ticket.id, 'confirm', contact, { rating: 5 }).expect(200);
  });

  it('makes a repeat of the same item on the same machine within warranty free, linked to the first repair', async () => {
    const first = await onSite();
    await act(first.id, 'work-lines', crew1, { kind: 'service', code: 'S-ELEC-02', quantity: 1 }).expect(200);
    await act(first.id, 'finish', crew1, { note: '检修配电柜' }).expect(200);
    const repeat = await onSite();
    await act(repeat.id, 'work-lines', crew1, { kind: 'service', code: 'S-ELEC-02', quantity: 1 }).expect(200);
    await act(repeat.id, 'work-lines', crew1, { kind: 'part', code: 'P-JR36-20', quantity: 1 }).expect(200);
    const b = await bill(repeat.id);
    expect(b.lines[0]).toMatchObject({ code: 'S-ELEC-02', amountFen: 0, warranty: true, warrantyOfTicketNumber: first.number });
    expect(b.lines[1]).toMatchObject({ code: 'P-JR36-20', warranty: false, amountFen: b.lines[1].unitPriceFen });
    expect(b.totalFen).toBe(b.lines[1].unitPriceFen);
    expect(b.listTotalFen).toBe(b.lines[0].unitPriceFen + b.lines[1].unitPriceFen);
    // The machine's file (一设备一档) lists the first visit with its item and cost.
    await act(repeat.id, 'finish', crew1, { note: '更换热继电器' }).expect(200);
    const [{ id: machineId }] = await t.db.query('SELECT id FROM equipment WHERE code = ? AND firm_id = ?', [machine.code, firm.id]);
    const file = (await http().get(`/api/v1/equipment/${machineId}`).set('Authorization', contact.auth).expect(200)).body;
    const visits = file.visits.filter((v: { ticketId: number }) => [first.id, repeat.id].includes(v.ticketId));
    expect(visits.map((v: { ticketNumber: string; totalFen: number }) => [v.ticketNumber, v.totalFen])).toEqual([
      [repeat.number, b.lines[1].unitPriceFen],
      [first.number, b.lines[0].unitPriceFen],
    ]);
    expect(visits[0].lines.find((l: { warranty: boolean }) => l.warranty)).toMatchObject({ name: b.lines[0].name, amountFen: 0 });
  });

  it('sends a declined dispatch back to the holder with its parts returned to the store', async () => {
    const ticket = await onSite();
    // On site already: the crew can no longer decline.
    expect((await act(ticket.id, 'decline', crew1, { reason: '缺件' }).expect(409)).body.code).toBe(ErrorCode.TransitionNotAllowed);
    const fresh = await acknowledged();
    await act(fresh.id, 'dispatch', member, { crewId: crew1Id }).expect(200);
    await act(fresh.id, 'accept', crew1).expect(200);
    const before = await stockOf('P-CJX2-1810');
    await act(fresh.id, 'work-lines', crew1, { kind: 'part', code: 'P-CJX2-1810', quantity: 1 }).expect(200);
    expect(await stockOf('P-CJX2-1810')).toBe(before - 1);
    expect((await act(fresh.id, 'decline', crew1, {}).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
    const back: TicketView = (await act(fresh.id, 'decline', crew1, { reason: '队员都在另一处抢修' }).expect(200)).body;
    expect(back).toMatchObject({ status: TicketStatus.Acknowledged, deadline: { kind: 'resolve' } });
    expect(back.events.at(-1)).toMatchObject({ type: TicketAction.Decline, note: '队员都在另一处抢修' });
    const dispatch = (await http().get(`/api/v1/tickets/${fresh.id}/dispatch`).set('Authorization', member.auth).expect(200)).body;
    expect(dispatch).toMatchObject({ state: DispatchState.Declined, declinedReason: '队员都在另一处抢修' });
    expect(await stockOf('P-CJX2-1810')).toBe(before);
  });

  it('returns a dispatch nobody accepted in time to the holder, with an alert', async () => {
    const ticket = await acknowledged();
    await act(ticket.id, 'dispatch', member, { crewId: crew1Id }).expect(200);
    const expired = await waitFor(
      async () => {
        const v: TicketView = (await http().get(`/api/v1/tickets/${ticket.id}`).set('Authorization', member.auth).expect(200)).body;
        return v.status === TicketStatus.Acknowledged ? v : undefined;
      },
      15_000,
      'the dispatch to expire',
    );
    expect(expired.events.at(-1)).toMatchObject({ type: 'dispatch_expired', typeLabel: '维修队未接单，退回', actor: 'system' });
    const dispatch = (await http().get(`/api/v1/tickets/${ticket.id}/dispatch`).set('Authorization', member.auth).expect(200)).body;
    expect(dispatch.state).toBe(DispatchState.Expired);
    const alerts = await t.db.query("SELECT COUNT(*) AS n FROM notification WHERE ticket_id = ? AND kind = 'sla_warning'", [ticket.id]);
    expect(Number(alerts[0].n)).toBeGreaterThan(0);
  });

  it('records a remote diagnosis (远程问诊) only when the crew says so', async () => {
    const ticket = await acknowledged();
    await act(ticket.id, 'dispatch', member, { crewId: crew1Id }).expect(200);
    await act(ticket.id, 'accept', crew1).expect(200);
    const notThere = await act(ticket.id, 'finish', crew1, { note: '电话指导复位' }).expect(409);
    expect(notThere.body.message).toBe('请先到场签到；不到场解决的请选择远程问诊');
    const done: TicketView = (await act(ticket.id, 'finish', crew1, { note: '电话指导复位', remote: true }).expect(200)).body;
    expect(done.status).toBe(TicketStatus.Resolved);
    const dispatch = (await http().get(`/api/v1/tickets/${ticket.id}/dispatch`).set('Authorization', contact.auth).expect(200)).body;
    expect(dispatch).toMatchObject({ state: DispatchState.Finished, remote: true, arrivedAt: null });
  });

  it('dispatches automatically to the on-duty crew with the skill the machine needs', async () => {
    const crews: CrewView[] = (await http().get('/api/v1/crews').set('Authorization', member.auth).expect(200)).body;
    const able = crews.filter((c) => c.onDuty && c.skills.includes('electrical'));
    const ticket = await acknowledged();
    const res = await act(ticket.id, 'dispatch', member, {});
    if (able.length === 0) {
      expect(res.status).toBe(422);
      expect(res.body.code).toBe(ErrorCode.CrewNotFound);
      return;
    }
    expect(res.status).toBe(200);
    const dispatch = (await http().get(`/api/v1/tickets/${ticket.id}/dispatch`).set('Authorization', member.auth).expect(200)).body;
    expect(dispatch.auto).toBe(true);
    expect(able.map((c) => c.id)).toContain(dispatch.crewId);
  });

  it('lets the admin set a crew skills and area, and refuses unknown ones', async () => {
    const admin = await t.as(Role.CommunityAdmin);
    const grid = Number((await t.db.query('SELECT id FROM grid ORDER BY id LIMIT 1'))[0].id);
    const updated: CrewView = (await http().patch(`/api/v1/crews/${crew1Id}`).set('Authorization', admin.auth).send({ skills: ['electrical', 'mechanical', 'other'], gridIds: [] }).expect(200)).body;
    expect(updated.skills).toEqual(['electrical', 'mechanical', 'other']);
    expect((await http().patch(`/api/v1/crews/${crew1Id}`).set('Authorization', admin.auth).send({ skills: ['magic'] }).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
    expect((await http().patch(`/api/v1/crews/${crew1Id}`).set('Authorization', admin.auth).send({ gridIds: [grid, 999999] }).expect(404)).body.code).toBe(ErrorCode.GridNotFound);
    expect((await http().patch(`/api/v1/crews/${crew1Id}`).set('Authorization', member.auth).send({ skills: [] }).expect(403)).body.code).toBe(ErrorCode.Forbidden);
  });
});
