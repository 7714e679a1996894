// The SLA alarm clock at scale, on a Redis of its own (so FLUSHALL harms nobody):
//  1. 100,000 open acknowledge timers are written straight into the database (as intake would
//     have left them), the API starts, and the reconciler arms them all: time and Redis memory
//     per timer;
//  2. lateness (fire − due) of 2,000 timers falling due over 20 s while the 100,000 stay armed;
//  3. FLUSHALL with everything armed: time until all are re-armed, and until 1,000 timers that
//     fell due while Redis was empty have fired.
// Build first (npx nx run-many -t build -p contracts domain api), then:
//   node test/bench/sla-timers.js [openTimers=100000] [hz=10]
const { startApiProcess } = require('../support/api-process');
const { startRedisServer } = require('../support/redis-server');

const OPEN = Number(process.argv[2] || 100_000);
const HZ = Number(process.argv[3] || 10);
const CHUNK = 5000;

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function insertTimers(db, count, dueAt) {
  const [[{ firmId, gridId, microgridId, communityId }]] = await db.query(
    'SELECT f.id AS firmId, fp.grid_id AS gridId, fp.microgrid_id AS microgridId, f.community_id AS communityId FROM firm f JOIN firm_placement fp ON fp.firm_id = f.id ORDER BY f.id LIMIT 1',
  );
  const [[{ categoryId }]] = await db.query("SELECT id AS categoryId FROM category WHERE code = 'general' LIMIT 1");
  const [[{ maxId }]] = await db.query('SELECT COALESCE(MAX(id), 0) AS maxId FROM ticket');
  const now = new Date();
  for (let done = 0; done < count; done += CHUNK) {
    const n = Math.min(CHUNK, count - done);
    const tickets = [];
    const timers = [];
    for (let i = 0; i < n; i++) {
      const id = Number(maxId) + done + i + 1;
      tickets.push([id, `BENCH-${id}`, communityId, gridId, microgridId, firmId, categoryId, 'submitted', 0, now, now]);
      timers.push([id, 'ack', 0, dueAt(done + i), 'armed', 1, now]);
    }
    await db.query(
      'INSERT INTO ticket (id, number, community_id, grid_id, microgrid_id, firm_id, category_id, status, level, created_at, updated_at) VALUES ?',
      [tickets],
    );
    await db.query('INSERT INTO sla_timer (ticket_id, kind, level, due_at, state, version, created_at) VALUES ?', [timers]);
  }
}

async function until(what, timeoutMs, probe) {
  const start = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function main() {
  const redis = await startRedisServer();
  await redis.client.config('SET', 'hz', String(HZ));
  // Boot once to migrate and seed, then stop: the timers go in while no reconciler runs.
  let api = await startApiProcess({ REDIS_PORT: String(redis.port), RECONCILE_INTERVAL_MS: '1000', LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'error' });
  const db = await api.connectDb();
  const keep = { dbName: api.dbName, queuePrefix: api.queuePrefix };
  const delayedKey = `${keep.queuePrefix}:sla-timers:delayed`;
  const marker = `${keep.queuePrefix}:sla:armed-marker`;
  try {
    const hour = Date.now() + 3600_000;
    let t = Date.now();
    await insertTimers(db, OPEN, (i) => new Date(hour + i * 10));
    console.log(`open timers written to the database: ${OPEN} in ${Date.now() - t} ms`);

    const memBefore = Number((await redis.client.info('memory')).match(/used_memory:(\d+)/)[1]);
    await redis.client.del(marker);
    t = Date.now();
    // The running API notices the missing marker on its next pass and re-arms everything.
    const armMs = await until('arming', 120_000, async () => (await redis.client.zcard(delayedKey)) >= OPEN);
    const memAfter = Number((await redis.client.info('memory')).match(/used_memory:(\d+)/)[1]);
    console.log(`armed ${OPEN} timers from the database in ${armMs} ms (${Math.round(OPEN / (armMs / 1000))}/s)`);
    console.log(`Redis memory per armed timer: ${Math.round((memAfter - memBefore) / OPEN)} bytes (hz ${HZ})`);

    // Lateness while the 100k stay armed: 2,000 timers due over 20 s, starting once the
    // reconciler (woken by removing its marker) has armed them with everything else.
    const soon = Date.now() + 20_000;
    await insertTimers(db, 2000, (i) => new Date(soon + i * 10));
    await redis.client.del(marker);
    await sleep(20_000 + 20_000 + 5000);
    const [late] = await db.query(
      "SELECT TIMESTAMPDIFF(MICROSECOND, due_at, fired_at) / 1000 AS ms FROM sla_timer WHERE state = 'fired' AND level = 0",
    );
    const ms = late.map((r) => Number(r.ms)).sort((a, b) => a - b);
    console.log(
      `lateness of ${ms.length} timers with ${OPEN} open (hz ${HZ}): p50 ${pct(ms, 50).toFixed(0)} ms, p95 ${pct(ms, 95).toFixed(0)} ms, p99 ${pct(ms, 99).toFixed(0)} ms, max ${ms[ms.length - 1].toFixed(0)} ms`,
    );

    // FLUSHALL with everything armed, plus 1,000 timers that fell due while Redis was empty
    // (written overdue and never armed: their jobs are gone with the flush).
    await redis.flushall();
    await insertTimers(db, 1000, () => new Date(Date.now() - 1000));
    const flushedAt = Date.now();
    // Both clocks run from the flush at once: the overdue ones are fired before the long re-arm.
    const overdueLeft = async () => {
      const [[{ n }]] = await db.query("SELECT COUNT(*) AS n FROM sla_timer WHERE state = 'armed' AND due_at < UTC_TIMESTAMP(3)");
      return Number(n);
    };
    const [rearmMs, firedMs] = await Promise.all([
      until('re-arming after FLUSHALL', 120_000, async () => (await redis.client.zcard(delayedKey)) >= OPEN - 10),
      until('overdue timers fired', 120_000, async () => (await overdueLeft()) === 0),
    ]);
    console.log(`after FLUSHALL: ${OPEN} re-armed in ${rearmMs} ms; the 1,000 overdue timers all fired ${firedMs} ms after the flush (${Date.now() - flushedAt} ms for both)`);
  } finally {
    await db.end();
    if (process.env.BENCH_LOG_LEVEL) console.log(api.output.join("").split("\n").filter((l) => /re-armed|overdue|reconcile|re-arm/.test(l)).join("\n"));
    await api.stop();
    await redis.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
