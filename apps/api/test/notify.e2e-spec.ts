import { getQueueToken } from '@nestjs/bullmq';
import {
  DeliveryAttemptResult,
  ErrorCode,
  NotificationDeliveryState,
  NotificationKind,
  QueueName,
  Role,
} from '@qihu/contracts';
import { Queue } from 'bullmq';
import request from 'supertest';
import { Clock } from '../src/infra/clock';
import { TransactionRunner } from '../src/infra/database/transaction';
import { Person } from '../src/modules/identity/person.entity';
import { Notification, NotificationDelivery, NotificationOutbox } from '../src/modules/notify/entities';
import { NotificationInput, NotifyService, sendJobId } from '../src/modules/notify/notify.service';
import { LOST_JOB_GRACE_MS, NotifyRelay } from '../src/modules/notify/relay.service';
import { startFakeWechat } from '../../../test/fakes/wechat-server';
import type { FakeWechat } from '../../../test/fakes/wechat-server';
import { seedOtherCommunity } from './fixtures';
import { Actor, deleteKeys, startTestApp, TestApp, waitFor } from './harness';

/** Three attempts: enough for "fails twice, then sent", and quick to give up (2 s + 4 s of backoff). */
const ATTEMPTS = 3;

/**
 * Notifications through the transactional outbox, the notify queue and the fake WeChat server,
 * on the real MySQL and Redis: delivery outcomes, retries, the relay after a lost queue, the
 * inbox, subscription answers and the admin's delivery log.
 */
describe('notifications (e2e, real MySQL + Redis + BullMQ, fake WeChat)', () => {
  let t: TestApp;
  let wechat: FakeWechat;
  let notify: NotifyService;
  let transactions: TransactionRunner;
  let queue: Queue;
  let people = 0;

  beforeAll(async () => {
    wechat = await startFakeWechat();
    t = await startTestApp({ WECHAT_API_BASE: wechat.url, NOTIFY_ATTEMPTS: String(ATTEMPTS), RECONCILE_INTERVAL_MS: '250' });
    notify = t.app.get(NotifyService);
    transactions = t.app.get(TransactionRunner);
    queue = t.app.get<Queue>(getQueueToken(QueueName.Notify));
  });

  afterAll(async () => {
    await t?.close();
    await wechat?.close();
  });

  const http = () => request(t.app.getHttpServer());

  /** A person of this test alone, with this openid (null: never logged in through WeChat). */
  const freshPerson = async (openid: string | null): Promise<number> => {
    const at = new Date();
    const { identifiers } = await t.db
      .getRepository(Person)
      .insert({ name: `通知测试${++people}`, phone: null, openid, unionid: null, createdAt: at, updatedAt: at });
    return Number(identifiers[0].id);
  };

  const assignment = (personId: number, over: Partial<NotificationInput> = {}): NotificationInput => ({
    personId,
    kind: NotificationKind.TicketAssigned,
    ticketId: null,
    title: '新工单待受理',
    body: '宁波恒达精密机械有限公司：配电柜跳闸，请在30分钟内受理',
    page: 'pages/ticket/index?id=7',
    data: {
      ticketNumber: 'QH20261123-0007',
      category: '设备故障',
      firm: '宁波恒达精密机械有限公司',
      time: '2026-11-23T01:30:00.000Z',
      note: '请在30分钟内受理',
    },
    ...over,
  });

  /** Enqueues in a transaction of its own that commits; returns the new notification ids. */
  const enqueue = async (...items: NotificationInput[]): Promise<number[]> => {
    await transactions.run((tx) => notify.enqueue(tx, items));
    const latest = await Promise.all(
      items.map((item) => t.db.getRepository(Notification).findOneOrFail({ where: { personId: item.personId }, order: { id: 'DESC' } })),
    );
    return latest.map((n) => n.id);
  };

  const outbox = (id: number) => t.db.getRepository(NotificationOutbox).findOneByOrFail({ notificationId: id });
  const deliveryLog = (id: number) =>
    t.db.getRepository(NotificationDelivery).find({ where: { notificationId: id }, order: { attempt: 'ASC' } });
  const settled = (id: number, timeoutMs = 10_000) =>
    waitFor(
      async () => {
        const row = await outbox(id);
        return row.state === NotificationDeliveryState.Pending ? undefined : row;
      },
      timeoutMs,
      `notification ${id} to leave pending`,
    );
  const messagesTo = (openid: string) => wechat.messages().filter((m) => m.touser === openid);
  const failSubscribes = async (touser: string, count: number, mode: 'busy' | 'http-500' | 'rejected') => {
    const res = await fetch(`${wechat.url}/__fake/subscribe-failures`, { method: 'POST', body: JSON.stringify({ touser, count, mode }) });
    expect(res.status).toBe(200);
  };
  const jobCount = async () => {
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  describe('the outbox', () => {
    it('stores and sends nothing when the calling transaction rolls back', async () => {
      const personId = await freshPerson('o-fake-notify-rollback');
      const jobsBefore = await jobCount();
      await expect(
        transactions.run(async (tx) => {
          await notify.enqueue(tx, [assignment(personId)]);
          throw new Error('the ticket could not be saved');
        }),
      ).rejects.toThrow('the ticket could not be saved');
      expect(await t.db.getRepository(Notification).countBy({ personId })).toBe(0);
      expect(await jobCount()).toBe(jobsBefore);

      // A notification committed afterwards arrives alone.
      const witness = await freshPerson('o-fake-notify-witness');
      const [id] = await enqueue(assignment(witness));
      expect((await settled(id)).state).toBe(NotificationDeliveryState.Sent);
      expect(messagesTo('o-fake-notify-rollback')).toEqual([]);
    });

    it('sends a committed notification with its template, page, recipient and mapped data', async () => {
      const personId = await freshPerson('o-fake-notify-sent');
      const [id] = await enqueue(assignment(personId));
      const row = await settled(id);
      expect(row).toMatchObject({ state: NotificationDeliveryState.Sent, attempts: 1 });

      const [message] = messagesTo('o-fake-notify-sent');
      expect(message).toMatchObject({
        msgid: row.msgid,
        template_id: t.config.notify.templates.ticketAssigned,
        page: 'pages/ticket/index?id=7',
        miniprogram_state: 'formal',
        data: {
          character_string1: { value: 'QH20261123-0007' },
          thing2: { value: '设备故障' },
          thing3: { value: '宁波恒达精密机械有限公司' },
          time4: { value: '2026-11-23 09:30' },
          thing5: { value: '请在30分钟内受理' },
        },
      });
      expect(messagesTo('o-fake-notify-sent')).toHaveLength(1);
      expect(await deliveryLog(id)).toEqual([
        expect.objectContaining({ attempt: 1, result: DeliveryAttemptResult.Sent, errcode: null, errmsg: null }),
      ]);
    });

    it('keeps several notifications of one transaction apart and cuts long text to WeChat limits', async () => {
      const first = await freshPerson('o-fake-notify-batch1');
      const second = await freshPerson('o-fake-notify-batch2');
      const [a, b] = await enqueue(
        assignment(first, { data: { ticketNumber: 'QH20261123-0008', category: '助企服务：政策咨询、人才招聘与技能培训对接', firm: '甲', note: '' } }),
        assignment(second, { kind: NotificationKind.TicketProgress, page: 'pages/ticket/index?id=8', data: { ticketNumber: 'QH20261123-0008', status: '已受理并派单' } }),
      );
      expect((await settled(a)).state).toBe(NotificationDeliveryState.Sent);
      expect((await settled(b)).state).toBe(NotificationDeliveryState.Sent);
      expect(messagesTo('o-fake-notify-batch1')[0].data).toMatchObject({
        thing2: { value: '助企服务：政策咨询、人才招聘与技能培训…' },
        thing5: { value: '无' },
      });
      expect(messagesTo('o-fake-notify-batch2')[0]).toMatchObject({
        template_id: t.config.notify.templates.ticketProgress,
        page: 'pages/ticket/index?id=8',
        data: { phrase3: { value: '已受理并派' } },
      });
    });

    it('sends the notifications of one change in one job', async () => {
      const first = await freshPerson('o-fake-notify-onejob1');
      const second = await freshPerson('o-fake-notify-onejob2');
      const ids = await enqueue(assignment(first), assignment(second));
      expect(await queue.getJob(sendJobId(ids))).toBeDefined();
      for (const id of ids) expect(await queue.getJob(sendJobId([id]))).toBeUndefined();
      for (const id of ids) expect((await settled(id)).state).toBe(NotificationDeliveryState.Sent);
      expect(messagesTo('o-fake-notify-onejob1')).toHaveLength(1);
      expect(messagesTo('o-fake-notify-onejob2')).toHaveLength(1);
    });

    it('sends a row named by two jobs at once only once (the claim is a lease)', async () => {
      const personId = await freshPerson('o-fake-notify-twice');
      await queue.pause();
      const [id] = await enqueue(assignment(personId));
      // A second job naming the same row, as a relay in another process could add; both run together.
      await notify.dispatch([[id, id + 1_000_000]]);
      await queue.resume();
      expect((await settled(id)).state).toBe(NotificationDeliveryState.Sent);
      await waitFor(async () => ((await queue.getJobCounts('waiting', 'active')).active === 0 ? true : undefined), 5000, 'both jobs to end');
      expect(messagesTo('o-fake-notify-twice')).toHaveLength(1);
      expect(await deliveryLog(id)).toHaveLength(1);
      expect(await outbox(id)).toMatchObject({ attempts: 1 });
    });

    it('keeps a notification for someone without an openid in the inbox only (no_openid)', async () => {
      const personId = await freshPerson(null);
      const [id] = await enqueue(assignment(personId));
      expect(await settled(id)).toMatchObject({ state: NotificationDeliveryState.NoOpenid, attempts: 1 });
      expect(await deliveryLog(id)).toEqual([expect.objectContaining({ attempt: 1, result: DeliveryAttemptResult.NoOpenid })]);
      expect(await t.db.getRepository(Notification).findOneByOrFail({ id })).toMatchObject({ personId, readAt: null });
    });

    it('keeps duty coverage gaps (no template) in the inbox without a delivery', async () => {
      const personId = await freshPerson('o-fake-notify-gap');
      const [id] = await enqueue(assignment(personId, { kind: NotificationKind.DutyCoverageGap, data: {} }));
      expect(await t.db.getRepository(NotificationOutbox).findOneBy({ notificationId: id })).toBeNull();
      expect(await queue.getJob(sendJobId([id]))).toBeUndefined();
    });

    it('gives up at once, without retrying, when WeChat says the person is not subscribed (43101)', async () => {
      const personId = await freshPerson('o-fake-nosub-notify');
      const [id] = await enqueue(assignment(personId));
      expect(await settled(id)).toMatchObject({ state: NotificationDeliveryState.NotSubscribed, attempts: 1 });
      expect(await deliveryLog(id)).toEqual([
        expect.objectContaining({ attempt: 1, result: DeliveryAttemptResult.NotSubscribed, errcode: 43101 }),
      ]);
      expect(await (await queue.getJob(sendJobId([id])))?.getState()).toBe('completed');
    });

    it('does not fail the committed caller when the queue cannot be reached, and the relay sends it later', async () => {
      const personId = await freshPerson('o-fake-notify-crash');
      const dispatch = jest.spyOn(notify, 'dispatch').mockRejectedValueOnce(new Error('Redis went away'));
      const [id] = await enqueue(assignment(personId));
      dispatch.mockRestore();
      expect(await queue.getJob(sendJobId([id]))).toBeUndefined();
      expect(await outbox(id)).toMatchObject({ state: NotificationDeliveryState.Pending, attempts: 0 });

      expect(await relayAsIfLater()).toBeGreaterThanOrEqual(1);
      expect((await settled(id)).state).toBe(NotificationDeliveryState.Sent);
      expect(messagesTo('o-fake-notify-crash')).toHaveLength(1);
    });

    it('delivers exactly once through the relay when the queue is flushed between commit and sending', async () => {
      const personId = await freshPerson('o-fake-notify-flush');
      await queue.pause();
      const [id] = await enqueue(assignment(personId));
      expect(await queue.getJob(sendJobId([id]))).toBeDefined();
      // What a FLUSHALL does to this run's queue (the shared Redis itself is left alone).
      await deleteKeys(t.redis, `${t.config.queuePrefix}:${QueueName.Notify}:*`);
      await queue.resume();
      expect(await queue.getJob(sendJobId([id]))).toBeUndefined();

      // Not yet overdue: the relay leaves a fresh row to its own job.
      expect(await t.app.get(NotifyRelay).relay()).toBe(0);
      expect(await relayAsIfLater()).toBe(1);
      expect((await settled(id)).state).toBe(NotificationDeliveryState.Sent);
      // Relaying again, as other processes' relays may, sends nothing more.
      await relayAsIfLater();
      await relayAsIfLater();
      await new Promise((r) => setTimeout(r, 300));
      expect(messagesTo('o-fake-notify-flush')).toHaveLength(1);
      expect(await deliveryLog(id)).toHaveLength(1);
    });

    /** One relay pass with the clock moved past the grace, as if the lost job had been waited for. */
    const relayAsIfLater = async (): Promise<number> => {
      const clock = t.app.get(Clock);
      const later = new Date(clock.now().getTime() + LOST_JOB_GRACE_MS + 1000);
      const now = jest.spyOn(clock, 'now').mockReturnValue(later);
      try {
        return await t.app.get(NotifyRelay).relay();
      } finally {
        now.mockRestore();
      }
    };
  });

  describe('retries (both run at once: 2 s + 4 s of backoff)', () => {
    let transientId: number;
    let permanentId: number;
    let ticketId: number;
    let admin: Actor;

    beforeAll(async () => {
      admin = await t.as(Role.CommunityAdmin);
      const contact = await t.as(Role.FirmContact);
      ticketId = await insertTicket(admin.assignment.communityId, contact.assignment.firmId!);
      const transient = await freshPerson('o-fake-notify-transient');
      const permanent = await freshPerson('o-fake-notify-permanent');
      await failSubscribes('o-fake-notify-transient', 2, 'busy');
      await failSubscribes('o-fake-notify-permanent', 99, 'rejected');
      [transientId, permanentId] = await enqueue(assignment(transient, { ticketId }), assignment(permanent, { ticketId }));
    });

    it('retries transient failures with backoff and records every attempt', async () => {
      const row = await settled(transientId, 15_000);
      expect(row).toMatchObject({ state: NotificationDeliveryState.Sent, attempts: 3 });
      const log = await deliveryLog(transientId);
      expect(log.map((d) => d.result)).toEqual([DeliveryAttemptResult.Unavailable, DeliveryAttemptResult.Unavailable, DeliveryAttemptResult.Sent]);
      expect(log.map((d) => d.attempt)).toEqual([1, 2, 3]);
      // Exponential backoff from 2 s: the third attempt ran at least 2 s + 4 s after the first.
      expect(log[2].at.getTime() - log[0].at.getTime()).toBeGreaterThanOrEqual(5900);
      expect(messagesTo('o-fake-notify-transient')).toHaveLength(1);
    });

    it('gives up after the configured number of attempts', async () => {
      const row = await settled(permanentId, 15_000);
      expect(row).toMatchObject({ state: NotificationDeliveryState.Failed, attempts: ATTEMPTS, msgid: null });
      const log = await deliveryLog(permanentId);
      expect(log).toHaveLength(ATTEMPTS);
      expect(log.every((d) => d.result === DeliveryAttemptResult.Rejected && d.errcode === 45009)).toBe(true);
      expect(messagesTo('o-fake-notify-permanent')).toEqual([]);
    });

    it("shows the community admin the ticket's deliveries with every attempt", async () => {
      const res = await http().get('/api/v1/notifications/deliveries').query({ ticketId }).set('Authorization', admin.auth).expect(200);
      expect(res.body).toEqual([
        expect.objectContaining({
          notificationId: transientId,
          kind: NotificationKind.TicketAssigned,
          title: '新工单待受理',
          state: NotificationDeliveryState.Sent,
          subscribed: null,
          attempts: [
            expect.objectContaining({ attempt: 1, result: DeliveryAttemptResult.Unavailable, errcode: null }),
            expect.objectContaining({ attempt: 2, result: DeliveryAttemptResult.Unavailable }),
            expect.objectContaining({ attempt: 3, result: DeliveryAttemptResult.Sent, errcode: null, errmsg: null }),
          ],
        }),
        expect.objectContaining({
          notificationId: permanentId,
          state: NotificationDeliveryState.Failed,
          attempts: [1, 2, 3].map((attempt) =>
            expect.objectContaining({ attempt, result: DeliveryAttemptResult.Rejected, errcode: 45009, errmsg: expect.stringContaining('quota') }),
          ),
        }),
      ]);
      expect(typeof res.body[0].personName).toBe('string');
      expect(typeof res.body[0].attempts[0].ms).toBe('number');
    });

    it("hides other communities' tickets from an admin (404) and the log from other roles (403)", async () => {
      const other = await seedOtherCommunity(t.db);
      const otherAdmin = await t.as(Role.CommunityAdmin, { id: other.assignments[Role.CommunityAdmin] });
      const res = await http().get('/api/v1/notifications/deliveries').query({ ticketId }).set('Authorization', otherAdmin.auth).expect(404);
      expect(res.body.code).toBe(ErrorCode.TicketNotFound);
      const member = await t.as(Role.GridMember);
      const denied = await http().get('/api/v1/notifications/deliveries').query({ ticketId }).set('Authorization', member.auth).expect(403);
      expect(denied.body.code).toBe(ErrorCode.Forbidden);
      const bad = await http().get('/api/v1/notifications/deliveries').query({ ticketId: 'x' }).set('Authorization', admin.auth).expect(400);
      expect(bad.body.code).toBe(ErrorCode.ValidationFailed);
    });
  });

  describe('the inbox', () => {
    let me: Actor;
    let ids: number[];
    let othersId: number;

    beforeAll(async () => {
      me = await t.as(Role.GridLeader);
      const someoneElse = await freshPerson(null);
      [othersId] = await enqueue(assignment(someoneElse, { title: '别人的消息' }));
      ids = [];
      for (const title of ['第一条', '第二条', '第三条']) ids.push(...(await enqueue(assignment(me.personId, { title, ticketId: null }))));
    });

    const list = (query: object = {}) =>
      http().get('/api/v1/notifications').query(query).set('Authorization', me.auth);

    it('lists only my notifications, newest first, page by page, with the unread count', async () => {
      const first = await list({ limit: 2 }).expect(200);
      expect(first.body.unreadCount).toBe(3);
      expect(first.body.items.map((n: { title: string }) => n.title)).toEqual(['第三条', '第二条']);
      expect(first.body.items[0]).toEqual({
        id: ids[2],
        kind: NotificationKind.TicketAssigned,
        ticketId: null,
        title: '第三条',
        body: '宁波恒达精密机械有限公司：配电柜跳闸，请在30分钟内受理',
        page: 'pages/ticket/index?id=7',
        data: expect.objectContaining({ ticketNumber: 'QH20261123-0007' }),
        createdAt: expect.any(String),
        readAt: null,
      });
      expect(first.body.nextCursor).toBe(String(ids[1]));
      const second = await list({ limit: 2, cursor: first.body.nextCursor }).expect(200);
      expect(second.body.items.map((n: { id: number }) => n.id)).toEqual([ids[0]]);
      expect(second.body.nextCursor).toBeNull();
    });

    it('marks one read, idempotently, and lists unread ones only on request', async () => {
      const read = await http().post(`/api/v1/notifications/${ids[1]}/read`).set('Authorization', me.auth).expect(200);
      expect(read.body).toMatchObject({ id: ids[1], readAt: expect.any(String) });
      const again = await http().post(`/api/v1/notifications/${ids[1]}/read`).set('Authorization', me.auth).expect(200);
      expect(again.body.readAt).toBe(read.body.readAt);
      const unread = await list({ unread: true }).expect(200);
      expect(unread.body.items.map((n: { id: number }) => n.id)).toEqual([ids[2], ids[0]]);
      expect(unread.body.unreadCount).toBe(2);
    });

    it("answers 404 for someone else's notification and changes nothing", async () => {
      const res = await http().post(`/api/v1/notifications/${othersId}/read`).set('Authorization', me.auth).expect(404);
      expect(res.body).toEqual({ code: ErrorCode.NotificationNotFound, message: '消息不存在' });
      expect((await t.db.getRepository(Notification).findOneByOrFail({ id: othersId })).readAt).toBeNull();
      await http().post('/api/v1/notifications/999999999/read').set('Authorization', me.auth).expect(404);
    });

    it('marks all read', async () => {
      const res = await http().post('/api/v1/notifications/read-all').set('Authorization', me.auth).expect(200);
      expect(res.body).toEqual({ marked: 2, unreadCount: 0 });
      expect((await list({ unread: true }).expect(200)).body).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
      expect((await http().post('/api/v1/notifications/read-all').set('Authorization', me.auth).expect(200)).body).toEqual({ marked: 0, unreadCount: 0 });
      expect((await t.db.getRepository(Notification).findOneByOrFail({ id: othersId })).readAt).toBeNull();
    });

    it('refuses bad paging with 400 and anonymous callers with 401', async () => {
      for (const query of [{ limit: 0 }, { limit: 101 }, { cursor: 'abc' }, { unread: 'maybe' }]) {
        const res = await list(query).expect(400);
        expect(res.body.code).toBe(ErrorCode.ValidationFailed);
      }
      await http().get('/api/v1/notifications').expect(401);
    });
  });

  describe('subscription answers', () => {
    let me: Actor;

    beforeAll(async () => {
      me = await t.as(Role.FirmContact);
    });

    const templates = () => http().get('/api/v1/notifications/templates').set('Authorization', me.auth);
    const answer = (body: object) => http().post('/api/v1/notifications/subscriptions').set('Authorization', me.auth).send(body);

    it('hands out the template id of each kind, with no answer yet', async () => {
      const res = await templates().expect(200);
      expect(res.body).toEqual([
        { kind: NotificationKind.TicketAssigned, templateId: t.config.notify.templates.ticketAssigned, accepted: null, answeredAt: null },
        { kind: NotificationKind.TicketProgress, templateId: t.config.notify.templates.ticketProgress, accepted: null, answeredAt: null },
        { kind: NotificationKind.SlaWarning, templateId: t.config.notify.templates.slaWarning, accepted: null, answeredAt: null },
      ]);
    });

    it('keeps the latest answer per kind', async () => {
      await answer({ kinds: [NotificationKind.TicketProgress, NotificationKind.SlaWarning], accepted: false }).expect(200);
      const res = await answer({ kinds: [NotificationKind.TicketProgress], accepted: true }).expect(200);
      expect(res.body.map((v: { kind: string; accepted: boolean | null }) => [v.kind, v.accepted])).toEqual([
        [NotificationKind.TicketAssigned, null],
        [NotificationKind.TicketProgress, true],
        [NotificationKind.SlaWarning, false],
      ]);
      expect((await templates().expect(200)).body[1]).toMatchObject({ accepted: true, answeredAt: expect.any(String) });
    });

    it('still sends after a refusal: WeChat decides', async () => {
      await answer({ kinds: [NotificationKind.TicketAssigned], accepted: false }).expect(200);
      await t.db.getRepository(Person).update(me.personId, { openid: 'o-fake-notify-refused' });
      const [id] = await enqueue(assignment(me.personId));
      expect((await settled(id)).state).toBe(NotificationDeliveryState.Sent);
      expect(messagesTo('o-fake-notify-refused')).toHaveLength(1);
    });

    it('refuses kinds without a template, empty or repeated kinds, and a missing answer, changing nothing', async () => {
      for (const body of [
        { kinds: [NotificationKind.DutyCoverageGap], accepted: true },
        { kinds: [], accepted: true },
        { kinds: [NotificationKind.SlaWarning, NotificationKind.SlaWarning], accepted: true },
        { kinds: [NotificationKind.SlaWarning] },
        { kinds: [NotificationKind.SlaWarning], accepted: 'yes' },
        { kinds: [NotificationKind.SlaWarning], accepted: true, personId: 1 },
      ]) {
        const res = await answer(body).expect(400);
        expect(res.body.code).toBe(ErrorCode.ValidationFailed);
      }
      expect((await templates().expect(200)).body[2].accepted).toBe(false);
    });
  });

  /** A bare ticket row in a community: the delivery log only reads a ticket's community. */
  async function insertTicket(communityId: number, firmId: number): Promise<number> {
    const [{ id: categoryId }] = await t.db.query('SELECT id FROM category WHERE community_id = ? ORDER BY id LIMIT 1', [communityId]);
    const result = await t.db.query(
      `INSERT INTO ticket (number, community_id, requester_role, firm_id, category_id, status, created_at, updated_at)
       VALUES ('QH20261123-9001', ?, 'firm_contact', ?, ?, 'submitted', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))`,
      [communityId, firmId, categoryId],
    );
    return Number(result.insertId);
  }
});
