import { ErrorCode, EscalationLevel, Role, TicketAction, TicketListView, TicketStatus, TicketView } from '@qihu/contracts';
import request from 'supertest';
import { In, Not } from 'typeorm';
import { Category } from '../src/modules/org/category.entity';
import { Firm } from '../src/modules/org/firm.entity';
import { SlaTimer, TimerKind, TimerState } from '../src/modules/sla/sla-timer.entity';
import { TicketEvent } from '../src/modules/tickets/ticket-event.entity';
import { Ticket } from '../src/modules/tickets/ticket.entity';
import { Actor, idempotencyKey, startTestApp, TestApp, waitFor } from './harness';

/** 30 min × 0.01 = 18 s to acknowledge: long enough that no deadline passes while a test acts. */
const TIME_SCALE = 0.01;

describe('ticket actions (e2e, real MySQL + Redis + BullMQ)', () => {
  let t: TestApp;
  let general: number;
  let complaint: number; // 四必到: resolving needs a check-in
  let contact: Actor;
  let worker: Actor;
  let member: Actor;
  let colleague: Actor; // a part-time grid member of the same grid
  let outsider: Actor; // a grid member of another grid
  let leader: Actor;
  let admin: Actor;

  beforeAll(async () => {
    t = await startTestApp({ SLA_TIME_SCALE: String(TIME_SCALE), RECONCILE_INTERVAL_MS: '250' });
    worker = await t.as(Role.Worker);
    const firmId = worker.assignment.firmId!;
    contact = await t.as(Role.FirmContact, { firmId });
    const firm = await request(t.app.getHttpServer()).get(`/api/v1/firms/${firmId}`).set('Authorization', contact.auth).expect(200);
    const gridId: number = firm.body.gridId;
    const categories = await t.db.getRepository(Category).find();
    general = categories.find((c) => c.code === 'general')!.id;
    complaint = categories.find((c) => c.code === 'complaint')!.id;
    member = await t.as(Role.GridMember, { gridId });
    colleague = await t.as(Role.GridPartTime, { gridId });
    outsider = await t.as(Role.GridMember, { gridId: Not(gridId) });
    leader = await t.as(Role.GridLeader, { gridId });
    admin = await t.as(Role.CommunityAdmin);
  });

  afterAll(async () => {
    await t?.close();
  });

  const http = () => request(t.app.getHttpServer());
  const raise = async (as: Actor = contact, body: object = {}): Promise<TicketView> =>
    (
      await http()
        .post('/api/v1/tickets')
        .set('Authorization', as.auth)
        .set('Idempotency-Key', idempotencyKey())
        .send({ categoryId: general, description: '车间漏水', ...body })
        .expect(201)
    ).body;
  const act = (id: number, action: string, as: Actor, body: object = {}, key?: string) => {
    const req = http().post(`/api/v1/tickets/${id}/${action}`).set('Authorization', as.auth);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const view = async (id: number, as: Actor = member): Promise<TicketView> =>
    (await http().get(`/api/v1/tickets/${id}`).set('Authorization', as.auth).expect(200)).body;
  const eventCount = (ticketId: number) => t.db.getRepository(TicketEvent).countBy({ ticketId });
  const timers = (ticketId: number, kinds: TimerKind[]) =>
    t.db.getRepository(SlaTimer).find({ where: { ticketId, kind: In(kinds) }, order: { id: 'ASC' } });
  const acknowledged = async (as: Actor = member) => {
    const ticket = await raise();
    await act(ticket.id, 'acknowledge', as).expect(200);
    return ticket;
  };
  const resolved = async () => {
    const ticket = await acknowledged();
    await act(ticket.id, 'resolve', member, { note: '已处理' }).expect(200);
    return ticket;
  };

  describe('intake', () => {
    it('fills in the place from the firm, routes to the on-duty grid member and shows the timeline', async () => {
      const ticket = await raise(contact, { urgency: 'critical' });
      const firm = await t.db.getRepository(Firm).findOneByOrFail({ id: contact.assignment.firmId! });
      expect(ticket).toMatchObject({
        urgency: 'critical',
        urgencyLabel: '特急',
        firmName: firm.name,
        categoryName: '综合诉求',
        location: { latitude: firm.latitude, longitude: firm.longitude, address: firm.address },
        anonymous: false,
        status: TicketStatus.Submitted,
        level: EscalationLevel.GridMember,
        deadline: { kind: 'ack', label: '受理时限' },
        attachments: [],
      });
      expect(ticket.holder).toMatchObject({ level: 0, levelLabel: '网格员' });
      expect(ticket.holder!.name).not.toBe('');
      expect(ticket.events).toHaveLength(1);
      expect(ticket.events[0]).toMatchObject({ type: 'created', typeLabel: '提交诉求', actorPersonId: contact.personId });
      expect(ticket.deadline!.remainingMs).toBeGreaterThan(0);
    });

    it('keeps a worker anonymous to the firm by default, but not to staff', async () => {
      const ticket = await raise(worker);
      expect(ticket.anonymous).toBe(true);
      await http().get(`/api/v1/tickets/${ticket.id}`).set('Authorization', contact.auth).expect(404);
      expect((await view(ticket.id, member)).requesterName).not.toBeNull();
      const open = await raise(worker, { anonymous: false });
      expect((await view(open.id, contact)).id).toBe(open.id);
    });

    it('refuses anonymity for a firm contact, a bad urgency, a bad location and a machine the firm does not have with 400, writing nothing', async () => {
      const before = await t.db.getRepository(Ticket).count();
      for (const body of [{ anonymous: true }, { urgency: 'soon' }, { location: { latitude: 123, longitude: 0 } }, { equipmentCode: 'NO-SUCH-MACHINE' }]) {
        const res = await http()
          .post('/api/v1/tickets')
          .set('Authorization', contact.auth)
          .send({ categoryId: general, ...body })
          .expect(400);
        expect(res.body.code).toBe(ErrorCode.ValidationFailed);
      }
      expect(await t.db.getRepository(Ticket).count()).toBe(before);
    });
  });

  describe('routing by the duty roster', () => {
    it('goes straight to the grid leader when no grid member is on duty, and alerts the community', async () => {
      const grids: Array<{ id: number }> = await t.db.query('SELECT id FROM grid ORDER BY code');
      const lastGrid = grids[grids.length - 1].id;
      const otherContact = await t.as(Role.FirmContact, { firmId: (await t.db.query('SELECT firm_id AS id FROM firm_placement WHERE grid_id = ? LIMIT 1', [lastGrid]))[0].id });
      // Nobody on level-0 duty in that grid (nor in its micro-grids) from now on.
      await t.db.query(
        `UPDATE duty_shift SET cancelled_at = NOW(3) WHERE level = 0 AND ends_at > NOW(3) AND
           ((scope_kind = 'grid' AND scope_id = ?) OR (scope_kind = 'microgrid' AND scope_id IN (SELECT id FROM microgrid WHERE grid_id = ?)))`,
        [lastGrid, lastGrid],
      );
      const ticket = await raise(otherContact);
      expect(ticket.level).toBe(EscalationLevel.GridLeader);
      expect(ticket.holder).toMatchObject({ level: 1, levelLabel: '网格长' });
      expect(ticket.events[0].note).toBe('网格员无人值班，直接上报网格长');
      expect(ticket.events[0].data).toMatchObject({ skipped: [{ level: 0, reason: 'nobody_on_duty' }] });
      const alerts = await t.db.query("SELECT level, origin FROM duty_alert WHERE scope_kind = 'grid' AND scope_id = ? AND resolved_at IS NULL", [lastGrid]);
      expect(alerts).toEqual(expect.arrayContaining([expect.objectContaining({ level: 0 })]));
      const adminInbox = await t.db.query("SELECT COUNT(*) AS n FROM notification WHERE person_id = ? AND kind = 'duty_coverage_gap'", [admin.personId]);
      expect(Number(adminInbox[0].n)).toBeGreaterThan(0);
      // The grid leader's acknowledge window is the escalation window, and the grid leader may take it.
      const acked: TicketView = (await act(ticket.id, 'acknowledge', await t.as(Role.GridLeader, { gridId: lastGrid })).expect(200)).body;
      expect(acked.status).toBe(TicketStatus.Acknowledged);
    });

    it('notifies the holder on assignment and the requester on acknowledgement and resolution', async () => {
      const ticket = await raise();
      const inbox = (personId: number, kind: string) =>
        t.db.query('SELECT title, body, page FROM notification WHERE person_id = ? AND ticket_id = ? AND kind = ?', [personId, ticket.id, kind]);
      const assigned = await inbox(ticket.holder!.personId, 'ticket_assigned');
      expect(assigned).toHaveLength(1);
      expect(assigned[0].page).toBe(`packages/common/pages/ticket/index?id=${ticket.id}`);
      await act(ticket.id, 'acknowledge', member).expect(200);
      await act(ticket.id, 'resolve', member, { note: '已处理' }).expect(200);
      const progress = await inbox(contact.personId, 'ticket_progress');
      expect(progress.map((n: { title: string }) => n.title)).toEqual(['诉求进展：已受理', '诉求进展：已办结，请确认并评价']);
    });
  });

  describe('acknowledge', () => {
    it('refuses the wrong role (403), the wrong scope (404) and a cancelled ticket (409)', async () => {
      const ticket = await raise();
      expect((await act(ticket.id, 'acknowledge', contact).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      expect((await act(ticket.id, 'acknowledge', outsider).expect(404)).body.code).toBe(ErrorCode.TicketNotFound);
      expect((await act(ticket.id, 'acknowledge', leader).expect(403)).body.message).toBe('当前角色不是该工单此级别的处理人');
      await act(ticket.id, 'cancel', contact, { reason: '已自行解决' }).expect(200);
      expect((await act(ticket.id, 'acknowledge', member).expect(409)).body.code).toBe(ErrorCode.TransitionNotAllowed);
    });
  });

  describe('return (退回)', () => {
    it('needs a reason, goes back to 待受理 with another holder, and keeps the original deadline', async () => {
      const ticket = await acknowledged();
      const missing = await act(ticket.id, 'return', member, {}).expect(400);
      expect(missing.body.code).toBe(ErrorCode.ValidationFailed);
      const returned: TicketView = (await act(ticket.id, 'return', member, { reason: '不属于本网格' }).expect(200)).body;
      expect(returned.status).toBe(TicketStatus.Submitted);
      expect(returned.holder?.personId).not.toBe(member.personId);
      // No reject ping-pong: the acknowledge deadline is the one the ticket was raised with.
      expect(returned.deadline).toMatchObject({ kind: 'ack', dueAt: ticket.deadline!.dueAt });
      expect(returned.events.at(-1)).toMatchObject({ type: TicketAction.Return, note: '不属于本网格', actorPersonId: member.personId });
      const armed = await timers(ticket.id, [TimerKind.Acknowledge]);
      expect(armed.filter((x) => x.state === TimerState.Armed).map((x) => x.dueAt.toISOString())).toEqual([ticket.deadline!.dueAt]);
      // Acknowledged again by a colleague: the resolve clock it already had keeps running.
      const again: TicketView = (await act(ticket.id, 'acknowledge', colleague).expect(200)).body;
      expect(again.holder?.personId).toBe(colleague.personId);
      expect((await timers(ticket.id, [TimerKind.Resolve])).filter((x) => x.state === TimerState.Armed)).toHaveLength(1);
    });
  });

  describe('transfer (转办)', () => {
    it('lists who may take it, hands it over, and refuses someone who may not hold it', async () => {
      const ticket = await acknowledged();
      const targets = (await http().get(`/api/v1/tickets/${ticket.id}/transfer-targets`).set('Authorization', member.auth).expect(200)).body;
      expect(targets.map((x: { personId: number }) => x.personId)).toContain(colleague.personId);
      expect(targets.map((x: { personId: number }) => x.personId)).not.toContain(member.personId);
      expect(targets.map((x: { personId: number }) => x.personId)).not.toContain(outsider.personId);
      const bad = await act(ticket.id, 'transfer', member, { toPersonId: outsider.personId, reason: '换人' }).expect(404);
      expect(bad.body.code).toBe(ErrorCode.PersonNotFound);
      const moved: TicketView = (await act(ticket.id, 'transfer', member, { toPersonId: colleague.personId, reason: '由李网格员跟进' }).expect(200)).body;
      expect(moved.holder?.personId).toBe(colleague.personId);
      expect(moved.status).toBe(TicketStatus.Acknowledged);
      expect(moved.events.at(-1)).toMatchObject({ type: TicketAction.Transfer, data: { toPersonId: colleague.personId } });
    });
  });

  describe('comments', () => {
    it('lets the requester and staff comment, refuses an empty one and one on a closed ticket', async () => {
      const ticket = await raise();
      await act(ticket.id, 'comments', contact, { text: '漏水更严重了' }).expect(200);
      const staff: TicketView = (await act(ticket.id, 'comments', member, { text: '马上到' }).expect(200)).body;
      expect(staff.events.filter((e) => e.type === 'comment').map((e) => e.note)).toEqual(['漏水更严重了', '马上到']);
      expect((await act(ticket.id, 'comments', member, { text: '  ' }).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
      expect((await act(ticket.id, 'comments', outsider, { text: '看看' }).expect(404)).body.code).toBe(ErrorCode.TicketNotFound);
      await act(ticket.id, 'cancel', contact, {}).expect(200);
      expect((await act(ticket.id, 'comments', contact, { text: '再补充' }).expect(409)).body.code).toBe(ErrorCode.TransitionNotAllowed);
    });
  });

  describe('check in and resolve', () => {
    it('refuses to resolve a 四必到 category without a check-in, then resolves after one', async () => {
      const ticket = await raise(contact, { categoryId: complaint });
      await act(ticket.id, 'acknowledge', member).expect(200);
      const refused = await act(ticket.id, 'resolve', member, { note: '电话沟通已解决' }).expect(409);
      expect(refused.body.message).toBe('该类诉求须到场签到后才能办结（四必到）');
      const badPlace = await act(ticket.id, 'check-in', member, { latitude: 91, longitude: 121 }).expect(400);
      expect(badPlace.body.code).toBe(ErrorCode.ValidationFailed);
      const onSite: TicketView = (await act(ticket.id, 'check-in', member, { latitude: 29.96, longitude: 121.71, accuracy: 12, address: '3号车间' }).expect(200)).body;
      expect(onSite.status).toBe(TicketStatus.OnSite);
      expect(onSite.checkedInAt).not.toBeNull();
      expect(onSite.events.at(-1)).toMatchObject({ type: TicketAction.CheckIn, data: { latitude: 29.96, longitude: 121.71, accuracy: 12 } });
      const done: TicketView = (await act(ticket.id, 'resolve', member, { note: '现场调解完成' }).expect(200)).body;
      expect(done).toMatchObject({ status: TicketStatus.Resolved, deadline: { kind: 'confirm', label: '评价时限' } });
      expect(done.resolvedAt).not.toBeNull();
      const resolveTimers = await timers(ticket.id, [TimerKind.Resolve, TimerKind.ResolveWarn50, TimerKind.ResolveWarn75]);
      expect(resolveTimers.map((x) => x.state)).toEqual([TimerState.Cancelled, TimerState.Cancelled, TimerState.Cancelled]);
    });

    it('needs a note to resolve, and a submitted ticket cannot be resolved (409)', async () => {
      const ticket = await raise();
      expect((await act(ticket.id, 'resolve', member, { note: '好了' }).expect(409)).body.code).toBe(ErrorCode.TransitionNotAllowed);
      await act(ticket.id, 'acknowledge', member).expect(200);
      expect((await act(ticket.id, 'resolve', member, {}).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
      expect((await act(ticket.id, 'resolve', contact, { note: '好了' }).expect(403)).body.code).toBe(ErrorCode.Forbidden);
    });
  });

  describe('confirm and rate', () => {
    it('closes the ticket with the rating; only the requester side may rate, 1–5 only', async () => {
      const ticket = await resolved();
      for (const rating of [0, 6, 4.5]) {
        expect((await act(ticket.id, 'confirm', contact, { rating }).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
      }
      expect((await act(ticket.id, 'confirm', member, { rating: 5 }).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      const closed: TicketView = (await act(ticket.id, 'confirm', contact, { rating: 5, comment: '响应很快' }).expect(200)).body;
      expect(closed).toMatchObject({ status: TicketStatus.Closed, rating: 5, ratingComment: '响应很快', deadline: null });
      expect((await timers(ticket.id, [TimerKind.Confirm])).map((x) => x.state)).toEqual([TimerState.Cancelled]);
      expect((await act(ticket.id, 'confirm', contact, { rating: 1 }).expect(409)).body.code).toBe(ErrorCode.TransitionNotAllowed);
    });

    it('closes a ticket as not rated when the confirm window passes', async () => {
      const ticket = await resolved();
      // The 72-hour window, passed: its timer is overdue and the reconciler fires it.
      await t.db.getRepository(SlaTimer).update({ ticketId: ticket.id, kind: TimerKind.Confirm, state: TimerState.Armed }, { dueAt: new Date(Date.now() - 10_000) });
      const closed = await waitFor(
        async () => {
          const v = await view(ticket.id);
          return v.status === TicketStatus.Closed ? v : undefined;
        },
        10_000,
        'the auto-close',
      );
      expect(closed.rating).toBeNull();
      expect(closed.events.at(-1)).toMatchObject({ type: TicketAction.AutoClose, typeLabel: '超时未评价，自动关闭', actor: 'system' });
    });
  });

  describe('reopen (重办)', () => {
    it('reopens within the window at level 0 with a new acknowledge clock, and refuses after it', async () => {
      const ticket = await resolved();
      expect((await act(ticket.id, 'reopen', contact, {}).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
      const reopened: TicketView = (await act(ticket.id, 'reopen', contact, { reason: '又漏了' }).expect(200)).body;
      expect(reopened).toMatchObject({ status: TicketStatus.Reopened, level: EscalationLevel.GridMember, deadline: { kind: 'ack' }, resolvedAt: null });
      expect((await view(ticket.id, member)).actions).toEqual(expect.arrayContaining([TicketAction.Acknowledge, TicketAction.Return]));
      await act(ticket.id, 'acknowledge', member).expect(200);
      await act(ticket.id, 'resolve', member, { note: '彻底修好' }).expect(200);
      // Resolved four days ago: the window has passed.
      await t.db.getRepository(Ticket).update({ id: ticket.id }, { resolvedAt: new Date(Date.now() - 96 * 3600_000) });
      const late = await act(ticket.id, 'reopen', contact, { reason: '还是漏' }).expect(409);
      expect(late.body.message).toBe('已超过重办期限，不能重办');
    });
  });

  describe('cancel (撤回)', () => {
    it('lets the requester withdraw before acknowledgement only, and stops every timer', async () => {
      const ticket = await raise();
      expect((await act(ticket.id, 'cancel', member, {}).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      const cancelled: TicketView = (await act(ticket.id, 'cancel', contact, { reason: '已自行解决' }).expect(200)).body;
      expect(cancelled).toMatchObject({ status: TicketStatus.Cancelled, statusLabel: '已撤回', deadline: null });
      expect(cancelled.closedAt).not.toBeNull();
      const armed = await t.db.getRepository(SlaTimer).countBy({ ticketId: ticket.id, state: TimerState.Armed });
      expect(armed).toBe(0);
      const late = await acknowledged();
      expect((await act(late.id, 'cancel', contact, {}).expect(409)).body.code).toBe(ErrorCode.TransitionNotAllowed);
    });
  });

  describe('supervise (督办)', () => {
    it('lets the community admin press the holder with a note; a grid member may not', async () => {
      const ticket = await raise();
      expect((await act(ticket.id, 'supervise', member, { note: '快' }).expect(403)).body.code).toBe(ErrorCode.Forbidden);
      expect((await act(ticket.id, 'supervise', admin, {}).expect(400)).body.code).toBe(ErrorCode.ValidationFailed);
      const pressed: TicketView = (await act(ticket.id, 'supervise', admin, { note: '请今天办结' }).expect(200)).body;
      expect(pressed.supervised).toBe(true);
      expect(pressed.status).toBe(TicketStatus.Submitted);
      expect(pressed.events.at(-1)).toMatchObject({ type: TicketAction.Supervise, typeLabel: '督办', note: '请今天办结', actorPersonId: admin.personId });
    });
  });

  describe('double submission', () => {
    it('answers a retried action (same Idempotency-Key) with the same ticket and writes one event', async () => {
      const ticket = await acknowledged();
      const key = idempotencyKey();
      const first = await act(ticket.id, 'comments', member, { text: '已联系企业' }, key).expect(200);
      const count = await eventCount(ticket.id);
      const retry = await act(ticket.id, 'comments', member, { text: '已联系企业' }, key).expect(200);
      expect(retry.body.events).toEqual(first.body.events);
      expect(await eventCount(ticket.id)).toBe(count);
    });

    it('writes one event when copies of one resolve race each other', async () => {
      const ticket = await acknowledged();
      const key = idempotencyKey();
      const results = await Promise.all([1, 2, 3].map(() => act(ticket.id, 'resolve', member, { note: '已修复' }, key)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      const events = await t.db.getRepository(TicketEvent).findBy({ ticketId: ticket.id, type: TicketAction.Resolve });
      expect(events).toHaveLength(1);
    });

    it('refuses a key already used for another action (422) and changes nothing', async () => {
      const ticket = await acknowledged();
      const key = idempotencyKey();
      await act(ticket.id, 'comments', member, { text: '第一条' }, key).expect(200);
      const count = await eventCount(ticket.id);
      const res = await act(ticket.id, 'resolve', member, { note: '好了' }, key).expect(422);
      expect(res.body.code).toBe(ErrorCode.IdempotencyKeyReused);
      expect(await eventCount(ticket.id)).toBe(count);
      expect((await view(ticket.id)).status).toBe(TicketStatus.Acknowledged);
    });

    it('without a key, a second resolve is refused (409), not applied twice', async () => {
      const ticket = await acknowledged();
      await act(ticket.id, 'resolve', member, { note: '已修复' }).expect(200);
      expect((await act(ticket.id, 'resolve', member, { note: '已修复' }).expect(409)).body.code).toBe(ErrorCode.TransitionNotAllowed);
    });
  });

  describe('lists', () => {
    it("shows a firm contact the firm's requests newest first, without workers' anonymous ones", async () => {
      const mine = await raise();
      const hidden = await raise(worker);
      const list: TicketListView = (await http().get('/api/v1/tickets/mine?limit=100').set('Authorization', contact.auth).expect(200)).body;
      const ids = list.items.map((i) => i.id);
      expect(ids[0]).toBe(mine.id);
      expect(ids).not.toContain(hidden.id);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      const workerList: TicketListView = (await http().get('/api/v1/tickets/mine').set('Authorization', worker.auth).expect(200)).body;
      expect(workerList.items.map((i) => i.id)).toContain(hidden.id);
      expect(workerList.items.every((i) => i.firmName !== '')).toBe(true);
    });

    it('pages with a cursor and refuses a bad one', async () => {
      await raise();
      await raise();
      const page1: TicketListView = (await http().get('/api/v1/tickets/mine?limit=1').set('Authorization', contact.auth).expect(200)).body;
      expect(page1.items).toHaveLength(1);
      const page2: TicketListView = (await http().get(`/api/v1/tickets/mine?limit=1&cursor=${page1.nextCursor}`).set('Authorization', contact.auth).expect(200)).body;
      expect(page2.items[0].id).toBeLessThan(page1.items[0].id);
      await http().get('/api/v1/tickets/mine?cursor=abc').set('Authorization', contact.auth).expect(400);
    });

    it("sorts the staff inbox by deadline, filters to the caller's own, and keeps other grids out", async () => {
      const a = await raise();
      const b = await acknowledged(); // its deadline is the (later) resolve deadline
      const inbox: TicketListView = (await http().get('/api/v1/tickets/inbox?limit=100').set('Authorization', member.auth).expect(200)).body;
      const due = inbox.items.filter((i) => i.deadline).map((i) => Date.parse(i.deadline!.dueAt));
      expect([...due].sort((x, y) => x - y)).toEqual(due);
      const ids = inbox.items.map((i) => i.id);
      expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id));
      const mineOnly: TicketListView = (await http().get('/api/v1/tickets/inbox?holder=me&limit=100').set('Authorization', member.auth).expect(200)).body;
      expect(mineOnly.items.map((i) => i.id)).toContain(b.id);
      expect(mineOnly.items.every((i) => i.holderName !== null)).toBe(true);
      const other: TicketListView = (await http().get('/api/v1/tickets/inbox?limit=100').set('Authorization', outsider.auth).expect(200)).body;
      expect(other.items.map((i) => i.id)).not.toContain(a.id);
      await http().get('/api/v1/tickets/inbox').set('Authorization', contact.auth).expect(403);
      await http().get('/api/v1/tickets/mine').set('Authorization', member.auth).expect(403);
    });
  });
});
