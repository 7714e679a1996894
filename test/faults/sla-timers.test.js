// Failure tests of the SLA clock against real processes, MariaDB and a Redis of the test's
// own: the database is the truth and Redis only the alarm clock, so no escalation may be lost
// (Redis flushed, a worker killed or stopped mid-burst) and none applied twice (several workers).
const { startApiProcess, tokenFor } = require('../support/api-process');
const { startRedisServer } = require('../support/redis-server');

/** Demo categories have 30-minute windows: ×1/600 makes them 3 s. */
const TIME_SCALE = 1 / 600;
const WINDOW_MS = 3000;

async function raiseTickets(api, count) {
  const people = await (await fetch(`${api.baseUrl}/api/v1/auth/demo-people`)).json();
  const contact = people.find((p) => p.roles.length === 1 && p.roles[0] === '企业联系人');
  const token = await tokenFor(api.baseUrl, contact.id);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const { categoryId } = await (await fetch(`${api.baseUrl}/api/v1/intake/defaults`, { headers })).json();
  const ids = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${api.baseUrl}/api/v1/tickets`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': `fault-${Date.now()}-${i}` },
      body: JSON.stringify({ categoryId }),
    });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
    ids.push((await res.json()).id);
  }
  return ids;
}

/** Escalation events per ticket and level, straight from the database. */
async function escalations(db) {
  const [rows] = await db.query(
    "SELECT ticket_id AS ticketId, level, COUNT(*) AS n FROM ticket_event WHERE type = 'escalate' GROUP BY ticket_id, level",
  );
  return rows.map((r) => ({ ticketId: Number(r.ticketId), level: Number(r.level), n: Number(r.n) }));
}

async function waitForEscalations(db, ids, level, timeoutMs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await escalations(db);
    const done = new Set(rows.filter((r) => r.level === level).map((r) => r.ticketId));
    if (ids.every((id) => done.has(id))) return rows;
    if (Date.now() > until) {
      throw new Error(`only ${ids.filter((id) => done.has(id)).length}/${ids.length} tickets reached level ${level}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every ticket escalated to level 1 and level 2 exactly once. */
function expectExactlyOnce(rows, ids) {
  for (const id of ids) {
    expect(rows.filter((r) => r.ticketId === id).map((r) => [r.level, r.n])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  }
}

describe('SLA timers under failure', () => {
  let redis;
  let api;
  let db;

  async function start(env = {}) {
    redis = await startRedisServer();
    api = await startApiProcess({
      REDIS_PORT: String(redis.port),
      SLA_TIME_SCALE: String(TIME_SCALE),
      RECONCILE_INTERVAL_MS: '500',
      ...env,
    });
    db = await api.connectDb();
  }

  afterEach(async () => {
    await db?.end();
    await api?.stop();
    await redis?.stop();
    db = api = redis = undefined;
  });

  it('loses no escalation when Redis is flushed (FLUSHALL) while timers are armed', async () => {
    await start();
    const ids = await raiseTickets(api, 20);
    expect(await redis.client.dbsize()).toBeGreaterThan(0);
    await redis.flushall();
    const rows = await waitForEscalations(db, ids, 2, 2 * WINDOW_MS + 15_000);
    expectExactlyOnce(rows, ids);
  });

  it('arms the timers of a process killed between commit and enqueue, and escalates on time', async () => {
    // The API process kills itself (SIGKILL) right after the first ticket's transaction commits;
    // a healthy worker's reconciler must find the armed timers without a job and arm them.
    await start({ RUN_WORKERS: 'false', FAULT_INJECTION: 'kill-before-arm' });
    api.spawnWorker({ FAULT_INJECTION: 'none' });
    const people = await (await fetch(`${api.baseUrl}/api/v1/auth/demo-people`)).json();
    const contact = people.find((p) => p.roles.length === 1 && p.roles[0] === '企业联系人');
    const token = await tokenFor(api.baseUrl, contact.id);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const { categoryId } = await (await fetch(`${api.baseUrl}/api/v1/intake/defaults`, { headers })).json();
    await expect(
      fetch(`${api.baseUrl}/api/v1/tickets`, { method: 'POST', headers: { ...headers, 'idempotency-key': `fault-kill-${Date.now()}` }, body: JSON.stringify({ categoryId }) }),
    ).rejects.toThrow();
    const [[ticket]] = await db.query('SELECT id FROM ticket');
    const ticketId = Number(ticket.id);
    const [[ack]] = await db.query("SELECT id, due_at AS dueAt FROM sla_timer WHERE ticket_id = ? AND kind = 'ack'", [ticketId]);
    expect(await redis.client.exists(`${api.queuePrefix}:sla-timers:t${ack.id}-v1`)).toBe(0);
    await waitForEscalations(db, [ticketId], 1, WINDOW_MS + 10_000);
    const [[escalated]] = await db.query("SELECT at FROM ticket_event WHERE ticket_id = ? AND type = 'escalate' AND level = 1", [ticketId]);
    const lateMs = new Date(escalated.at).getTime() - new Date(ack.dueAt).getTime();
    process.stdout.write(`escalation after a kill between commit and enqueue: ${lateMs} ms after its deadline\n`);
    // Armed by the reconciler ahead of time, not caught late by its overdue lane (2 s grace).
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(1000);
  });

  it('applies each escalation exactly once with two worker processes', async () => {
    await start({ RUN_WORKERS: 'false' });
    const workers = [api.spawnWorker(), api.spawnWorker()];
    const ids = await raiseTickets(api, 40);
    const rows = await waitForEscalations(db, ids, 2, 2 * WINDOW_MS + 15_000);
    expectExactlyOnce(rows, ids);
    expect(workers.every((w) => w.exitCode === null)).toBe(true);
  });

  it('recovers when a worker is killed with SIGKILL in the middle of a burst', async () => {
    await start({ RUN_WORKERS: 'false' });
    const doomed = api.spawnWorker();
    const ids = await raiseTickets(api, 40);
    // Let the burst start firing, then kill the only worker without warning.
    await waitForEscalations(db, ids.slice(0, 1), 1, WINDOW_MS + 10_000);
    doomed.kill('SIGKILL');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    api.spawnWorker();
    const rows = await waitForEscalations(db, ids, 2, 2 * WINDOW_MS + 40_000);
    expectExactlyOnce(rows, ids);
  });

  it('loses nothing when a worker is stopped with SIGTERM during a burst of due timers', async () => {
    await start({ RUN_WORKERS: 'false' });
    const stopping = api.spawnWorker();
    const ids = await raiseTickets(api, 40);
    await waitForEscalations(db, ids.slice(0, 1), 1, WINDOW_MS + 10_000);
    stopping.kill('SIGTERM');
    expect(await stopping.exited).toEqual({ code: 0, signal: null });
    api.spawnWorker();
    const rows = await waitForEscalations(db, ids, 2, 2 * WINDOW_MS + 40_000);
    expectExactlyOnce(rows, ids);
  });
});
