import { ErrorCode, EscalationLevel, Role, TicketAction, TicketStatus, TicketView } from '@qihu/contracts';
import request from 'supertest';
import { In } from 'typeorm';
import { SlaTimer, TimerKind, TimerState } from '../src/modules/sla/sla-timer.entity';
import { SlaService } from '../src/modules/sla/sla.service';
import { Ticket } from '../src/modules/tickets/ticket.entity';
import { Actor, deleteKeys, idempotencyKey, startTestApp, TestApp, waitFor } from './harness';

/**
 * The demo categories' 30-minute windows compressed so the SLA clock runs while we watch:
 * 30 min × 0.0008 = 1.44 s.
 */
const TIME_SCALE = 0.0008;
const ACK_SECONDS = 30 * 60 * TIME_SCALE;
const ESCALATE_SECONDS = 30 * 60 * TIME_SCALE;

describe('tickets (e2e, real MySQL + Redis + BullMQ)', () => {
  let t: TestApp;
  let firmId: number;
  let categoryId: number;
  let contact: Actor;
  let member: Actor;
  let leader: Actor;

  beforeAll(async () => {
    t = await startTestApp({ SLA_TIME_SCALE: String(TIME_SCALE), RECONCILE_INTERVAL_MS: '250' });
    contact = await t.as(Role.FirmContact);
    const defaults = await request(t.app.getHttpServer())
      .get('/api/v1/intake/defaults')
      .set('Authorization', contact.auth)
      .expect(200);
    firmId = defaults.body.firmId;
    categoryId = defaults.body.categoryId;
    const firm = await request(t.app.getHttpServer()).get(`/api/v1/firms/${firmId}`).set('Authorization', contact.auth).expect(200);
    member = await t.as(Role.GridMember, { gridId: firm.body.gridId });
    leader = await t.as(Role.GridLeader, { gridId: firm.body.gridId });
  });

  afterAll(async () => {
    await t?.close();
  });

  const http = () => request(t.app.getHttpServer());
  const create = (body: object = { firmId, categoryId, description: '配电柜跳闸' }, key = idempotencyKey()) =>
    http().post('/api/v1/tickets').set('Authorization', contact.auth).set('Idempotency-Key', key).send(body);
  const acknowledge = (id: number, as: Actor = member) =>
    http().post(`/api/v1/tickets/${id}/acknowledge`).set('Authorization', as.auth);
  const ticketCount = () => t.db.getRepository(Ticket).count();
  const getTicket = async (id: number): Promise<TicketView> =>
    (await http().get(`/api/v1/tickets/${id}`).set('Authorization', member.auth).expect(200)).body;

  describe('GET /api/v1/intake/defaults', () => {
    it("fills in the caller's own firm and the community's general category", async () => {
      const res = await http().get('/api/v1/intake/defaults').set('Authorization', contact.auth).expect(200);
      expect(res.body).toEqual({
        firmId: contact.assignment.firmId,
        firmName: '宁波恒达精密机械有限公司',
        categoryId: expect.any(Number),
        categoryName: '综合诉求',
      });
    });

    it('needs a login (401) and a firm role (403)', async () => {
      const anonymous = await http().get('/api/v1/intake/defaults').expect(401);
      expect(anonymous.body).toEqual({ code: ErrorCode.Unauthenticated, message: '请先登录' });
      const staff = await http().get('/api/v1/intake/defaults').set('Authorization', member.auth).expect(403);
      expect(staff.body.code).toBe(ErrorCode.Forbidden);
    });
  });

  describe('POST /api/v1/tickets', () => {
    it('creates a submitted level-0 ticket with a numbered id, an armed timer row and its delayed job', async () => {
      const before = Date.now();
      const res = await create().expect(201);
      const ticket: TicketView = res.body;
      expect(ticket.number).toMatch(/^QH\d{8}-\d{4}$/);
      expect(ticket.status).toBe(TicketStatus.Submitted);
      expect(ticket.statusLabel).toBe('待受理');
      expect(ticket.level).toBe(EscalationLevel.GridMember);
      expect(ticket.events.map((e) => e.type)).toEqual(['created']);
      const due = Date.parse(ticket.nextDeadlineAt!);
      expect(due - Date.parse(ticket.createdAt)).toBe(Math.round(ACK_SECONDS * 1000));
      expect(due).toBeGreaterThanOrEqual(before + ACK_SECONDS * 1000);

      const timers = await t.db.getRepository(SlaTimer).find({ where: { ticketId: ticket.id }, order: { dueAt: 'ASC' } });
      // The deadline and the reminders at 50% and 75% of the window, each with its delayed job.
      expect(timers.map((x) => x.kind)).toEqual([TimerKind.AcknowledgeWarn50, TimerKind.AcknowledgeWarn75, TimerKind.Acknowledge]);
      expect(timers.every((x) => x.state === TimerState.Armed && x.version === 1 && x.level === 0)).toBe(true);
      expect(timers[0].dueAt.getTime() - Date.parse(ticket.createdAt)).toBe(Math.round(ACK_SECONDS * 500));
      for (const timer of timers) expect(await t.redis.exists(`${t.config.queuePrefix}:sla-timers:t${timer.id}-v1`)).toBe(1);
      expect(ticket.deadline).toMatchObject({ kind: 'ack', label: '受理时限', dueAt: ticket.nextDeadlineAt });
    });

    it('numbers tickets of one day consecutively', async () => {
      const a: TicketView = (await create().expect(201)).body;
      const b: TicketView = (await create().expect(201)).body;
      const seq = (n: string) => Number(n.split('-')[1]);
      expect(b.number.slice(0, 10)).toBe(a.number.slice(0, 10));
      expect(seq(b.number)).toBe(seq(a.number) + 1);
    });

    it('returns the same ticket for a retry with the same Idempotency-Key, creating nothing more', async () => {
      const key = idempotencyKey();
      const first = await create(undefined, key).expect(201);
      const count = await ticketCount();
      const retry = await create(undefined, key).expect(200);
      expect(retry.body.id).toBe(first.body.id);
      expect(retry.body.number).toBe(first.body.number);
      expect(await ticketCount()).toBe(count);
    });

    it('creates exactly one ticket when retries with one key race each other', async () => {
      const key = idempotencyKey();
      const count = await ticketCount();
      const results = await Promise.all([1, 2, 3, 4].map(() => create(undefined, key)));
      const ids = new Set(results.map((r) => r.body.id));
      expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
      expect(ids.size).toBe(1);
      expect(await ticketCount()).toBe(count + 1);
    });

    it('refuses a reused key with a different request (422 IDEMPOTENCY_KEY_REUSED)', async () => {
      const key = idempotencyKey();
      await create(undefined, key).expect(201);
      const count = await ticketCount();
      const res = await create({ firmId, categoryId, description: '另一件事' }, key).expect(422);
      expect(res.body).toEqual({ code: ErrorCode.IdempotencyKeyReused, message: '该请求编号已用于另一次不同的提交' });
      expect(await ticketCount()).toBe(count);
    });

    it.each([
      ['a missing categoryId', { firmId: 1 }, 'categoryId'],
      ['a non-integer categoryId', { firmId: 1, categoryId: 'abc' }, 'categoryId'],
      ['a description over 2000 characters', { firmId: 1, categoryId: 1, description: '长'.repeat(2001) }, 'description'],
      ['an extra field (mass assignment)', { firmId: 1, categoryId: 1, level: 2 }, 'level'],
    ])('refuses %s with 400 VALIDATION_FAILED and writes nothing', async (_what, body, field) => {
      const count = await ticketCount();
      const res = await create(body).expect(400);
      expect(res.body.code).toBe(ErrorCode.ValidationFailed);
      expect(res.body.message).toBe('提交的内容有误，请检查后重试');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await ticketCount()).toBe(count);
    });

    it('refuses a malformed Idempotency-Key', async () => {
      const res = await create(undefined, 'bad key!').expect(400);
      expect(res.body.code).toBe(ErrorCode.ValidationFailed);
      expect(res.body.details.fields[0].field).toBe('Idempotency-Key');
    });

    it("refuses an unknown or another firm's id (422 FIRM_NOT_FOUND) and an unknown category (422 CATEGORY_NOT_FOUND)", async () => {
      const count = await ticketCount();
      const noFirm = await create({ firmId: 999999, categoryId }).expect(422);
      expect(noFirm.body).toEqual({ code: ErrorCode.FirmNotFound, message: '企业不存在（编号 999999）' });
      const otherFirm = await create({ firmId: firmId + 1, categoryId }).expect(422);
      expect(otherFirm.body.code).toBe(ErrorCode.FirmNotFound);
      const noCategory = await create({ firmId, categoryId: 999999 }).expect(422);
      expect(noCategory.body.code).toBe(ErrorCode.CategoryNotFound);
      expect(await ticketCount()).toBe(count);
    });

    it('answers malformed JSON with 400 and a Chinese message', async () => {
      const res = await http()
        .post('/api/v1/tickets')
        .set('Authorization', contact.auth)
        .set('Content-Type', 'application/json')
        .send('{"firmId": ')
        .expect(400);
      expect(res.body).toEqual({ code: ErrorCode.ValidationFailed, message: '提交的内容有误，请检查后重试' });
    });
  });

  describe('GET /api/v1/tickets/:id', () => {
    it('answers 404 TICKET_NOT_FOUND for an unknown ticket', async () => {
      const res = await http().get('/api/v1/tickets/987654').set('Authorization', member.auth).expect(404);
      expect(res.body).toEqual({ code: ErrorCode.TicketNotFound, message: '工单不存在' });
    });

    it('answers 400 for a non-numeric id', async () => {
      const res = await http().get('/api/v1/tickets/abc').set('Authorization', member.auth).expect(400);
      expect(res.body.code).toBe(ErrorCode.ValidationFailed);
    });
  });

  describe('SLA: acknowledge deadline and escalation', () => {
    it('escalates an unacknowledged ticket to level 1 on time, then to level 2 on time, then stops', async () => {
      const created: TicketView = (await create().expect(201)).body;
      const createdAt = Date.parse(created.createdAt);

      const atLevel1 = await waitFor(
        async () => {
          const v = await getTicket(created.id);
          return v.level >= 1 ? v : undefined;
        },
        (ACK_SECONDS + 5) * 1000,
        'level 1',
      );
      expect(atLevel1.level).toBe(EscalationLevel.GridLeader);
      expect(atLevel1.status).toBe(TicketStatus.Submitted);
      // The holder was reminded at 50% and 75% of the window, before the escalation.
      const beforeEscalation = atLevel1.events.slice(0, atLevel1.events.findIndex((e) => e.type === TicketAction.Escalate));
      expect(beforeEscalation.filter((e) => e.type === 'sla_warning').map((e) => e.data?.percent)).toEqual([50, 75]);
      const firstEscalation = atLevel1.events.find((e) => e.type === TicketAction.Escalate)!;
      expect(firstEscalation).toMatchObject({ actor: 'system', level: 1 });
      expect(Date.parse(firstEscalation.at)).toBeGreaterThanOrEqual(createdAt + ACK_SECONDS * 1000);

      const atLevel2 = await waitFor(
        async () => {
          const v = await getTicket(created.id);
          return v.level >= 2 ? v : undefined;
        },
        (ESCALATE_SECONDS + 5) * 1000,
        'level 2',
      );
      expect(atLevel2.level).toBe(EscalationLevel.Department);
      expect(atLevel2.levelLabel).toBe('职能部门');
      expect(atLevel2.nextDeadlineAt).toBeNull();
      const escalations = atLevel2.events.filter((e) => e.type === TicketAction.Escalate);
      expect(escalations.map((e) => e.level)).toEqual([1, 2]);
      expect(Date.parse(escalations[1].at)).toBeGreaterThanOrEqual(
        Date.parse(escalations[0].at) + ESCALATE_SECONDS * 1000,
      );

      // Lateness of the alarm clock: fire time minus due time, per timer.
      const timers = await t.db.getRepository(SlaTimer).find({ where: { ticketId: created.id, kind: TimerKind.Acknowledge }, order: { id: 'ASC' } });
      expect(timers.map((x) => x.state)).toEqual([TimerState.Fired, TimerState.Fired]);
      const lateness = timers.map((x) => x.firedAt!.getTime() - x.dueAt.getTime());
      process.stdout.write(`skeleton escalation timer lateness (ms): ${lateness.join(', ')}\n`);
      for (const ms of lateness) {
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThan(1000);
      }
    });

    it('does not escalate a ticket acknowledged before its deadline, cancels its timers and starts the resolve clock', async () => {
      const created: TicketView = (await create().expect(201)).body;
      const acked = await acknowledge(created.id).expect(200);
      expect(acked.body.status).toBe(TicketStatus.Acknowledged);
      expect(acked.body.statusLabel).toBe('已受理');
      expect(acked.body.deadline).toMatchObject({ kind: 'resolve', label: '办结时限' });
      expect(acked.body.holder).toMatchObject({ personId: member.personId });

      await new Promise((r) => setTimeout(r, ACK_SECONDS * 1000 + 1000));
      const later = await getTicket(created.id);
      expect(later.level).toBe(EscalationLevel.GridMember);
      expect(later.events.map((e) => e.type)).toEqual(['created', TicketAction.Acknowledge]);
      const ackTimers = await t.db.getRepository(SlaTimer).findBy({
        ticketId: created.id,
        kind: In([TimerKind.Acknowledge, TimerKind.AcknowledgeWarn50, TimerKind.AcknowledgeWarn75]),
      });
      expect(ackTimers.map((x) => x.state)).toEqual([TimerState.Cancelled, TimerState.Cancelled, TimerState.Cancelled]);
    });

    it('treats a repeated acknowledge as a retry: same answer, one event', async () => {
      const created: TicketView = (await create().expect(201)).body;
      await acknowledge(created.id).expect(200);
      const again = await acknowledge(created.id).expect(200);
      expect(again.body.events.filter((e: { type: string }) => e.type === TicketAction.Acknowledge)).toHaveLength(1);
    });

    it('answers 404 TICKET_NOT_FOUND when acknowledging an unknown ticket', async () => {
      const res = await acknowledge(987654).expect(404);
      expect(res.body.code).toBe(ErrorCode.TicketNotFound);
    });

    it('lets the level-1 holder (grid leader), not the grid member, acknowledge after an escalation', async () => {
      const created: TicketView = (await create().expect(201)).body;
      await waitFor(
        async () => ((await getTicket(created.id)).level === 1 ? true : undefined),
        (ACK_SECONDS + 5) * 1000,
        'level 1',
      );
      const byMember = await acknowledge(created.id, member).expect(403);
      expect(byMember.body.code).toBe(ErrorCode.Forbidden);
      const acked = await acknowledge(created.id, leader).expect(200);
      expect(acked.body).toMatchObject({ status: TicketStatus.Acknowledged, level: 1, holder: { personId: leader.personId } });
    });
  });

  describe('the reconciler (Redis is only the alarm clock)', () => {
    it('does not let a job fire a deadline before its time (a stale job, a clock ahead)', async () => {
      const created: TicketView = (await create().expect(201)).body;
      const timer = await t.db.getRepository(SlaTimer).findOneByOrFail({ ticketId: created.id, kind: TimerKind.Acknowledge });
      const early = await t.app.get(SlaService).fire({ timerId: timer.id, ticketId: created.id, version: timer.version });
      expect(early).toBe(false);
      expect((await t.db.getRepository(SlaTimer).findOneByOrFail({ id: timer.id })).state).toBe(TimerState.Armed);
      expect((await getTicket(created.id)).level).toBe(EscalationLevel.GridMember);
      // Its own job still escalates it on time.
      await waitFor(
        async () => ((await getTicket(created.id)).level === 1 ? true : undefined),
        (ACK_SECONDS + 5) * 1000,
        'the escalation on time',
      );
    });

    it('re-arms armed timers after the queue keys are wiped, and the escalation still happens', async () => {
      const created: TicketView = (await create().expect(201)).body;
      // Wipe this run's queue and marker keys: what a FLUSHALL does to us, without touching others.
      expect(await deleteKeys(t.redis, `${t.config.queuePrefix}:*`)).toBeGreaterThan(0);
      const escalated = await waitFor(
        async () => {
          const v = await getTicket(created.id);
          return v.level >= 1 ? v : undefined;
        },
        (ACK_SECONDS + 6) * 1000,
        'escalation after the wipe',
      );
      expect(escalated.events.filter((e) => e.type === TicketAction.Escalate)).toHaveLength(1);
    });

    it('fires an overdue timer whose job was never enqueued (crash between commit and enqueue)', async () => {
      const created: TicketView = (await create().expect(201)).body;
      const repo = t.db.getRepository(SlaTimer);
      // Simulate the lost enqueue: cancel the real timer and write an armed, overdue one with no job.
      await repo.update({ ticketId: created.id }, { state: TimerState.Cancelled });
      const orphan = await repo.save(
        repo.create({
          ticketId: created.id,
          kind: TimerKind.Acknowledge,
          level: 0,
          dueAt: new Date(Date.now() - 10_000),
          state: TimerState.Armed,
          version: 1,
          createdAt: new Date(Date.now() - 20_000),
          firedAt: null,
        }),
      );
      expect(await t.redis.exists(`${t.config.queuePrefix}:sla-timers:t${orphan.id}-v1`)).toBe(0);
      const fired = await waitFor(
        async () => {
          const row = await repo.findOneByOrFail({ id: orphan.id });
          return row.state === TimerState.Fired ? row : undefined;
        },
        5000,
        'the orphan timer to fire',
      );
      expect(fired.firedAt).not.toBeNull();
      expect((await getTicket(created.id)).level).toBe(EscalationLevel.GridLeader);
    });
  });
});
