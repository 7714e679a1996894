// Intake throughput and latency: POST /api/v1/tickets against the built API (MariaDB and Redis
// on this machine), driven by autocannon from this process.
//   node test/bench/intake.js [connections=32] [rate=400] [seconds=10] [runs=3] [workerProcesses=0]
// Redis is a redis-server of the benchmark's own with the production settings of
// docker/compose.yml (AOF on, noeviction, hz 100). BENCH_TRANSPORT=socket (the default when
// MariaDB's socket exists) reaches both over Unix sockets (DB_SOCKET, REDIS_SOCKET), as a
// single-machine deployment would; BENCH_TRANSPORT=tcp over loopback TCP. BENCH_MARIADB_SOCKET with
// DB_PORT aims it at another MariaDB on this machine (e.g. one started with other server settings).
// Each run: (1) saturation: `connections` clients in closed loops for `seconds` → requests/s and
// errors; (2) the WeChat messages of those tickets drain; (3) offered load: `rate` requests/s for
// `seconds` → latency p50/p99 and errors. With workerProcesses > 0 the API runs without workers
// (RUN_WORKERS=false) and that many `worker.js` processes fire timers and send messages, as in
// docker/compose.yml; with 0 it is one process as `npm start` runs it.
// Every request has its own Idempotency-Key and one of 20 firm contacts' tokens. Printed per run
// and as medians: requests/s, latency, CPU seconds per 1,000 tickets by process, and whether
// every ticket and every message made it (tickets in the database = 2xx answers; outbox drained).
const autocannon = require('autocannon');
const http = require('node:http');
const { existsSync } = require('node:fs');
const { startApiProcess, tokenFor } = require('../support/api-process');
const { PRODUCTION_ARGS, startRedisServer } = require('../support/redis-server');
const { cpuMeter, pidsOf, peakRssMb } = require('./cpu-meter');

const CONNECTIONS = Number(process.argv[2] || 32);
const RATE = Number(process.argv[3] || 400);
const SECONDS = Number(process.argv[4] || 10);
const RUNS = Number(process.argv[5] || 3);
const WORKER_PROCESSES = Number(process.argv[6] || 0);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function fire({ url, tokens, body, connections, seconds, keyPrefix }) {
  let seq = 0;
  return autocannon({
    url: `${url}/api/v1/tickets`,
    method: 'POST',
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest(req) {
          const n = seq++;
          req.headers = {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens[n % tokens.length]}`,
            'idempotency-key': `${keyPrefix}-${n}`,
          };
          req.body = body;
          return req;
        },
      },
    ],
  });
}

/**
 * Open loop at a fixed rate: request i leaves at start + i/rate whatever the earlier ones are
 * doing (autocannon's overallRate sends each connection's share in bursts, and a closed loop
 * would hide queueing). Latency is measured from the scheduled send time.
 */
async function paced({ url, tokens, body, rate, seconds, keyPrefix }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(`${url}/api/v1/tickets`);
  const total = rate * seconds;
  const latencies = [];
  let errors = 0;
  const started = performance.now();
  const send = (n) =>
    new Promise((resolve) => {
      const due = started + (n * 1000) / rate;
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${tokens[n % tokens.length]}`,
            'idempotency-key': `${keyPrefix}-${n}`,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode !== 201) errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const inFlight = [];
  for (let n = 0; n < total; n++) {
    const wait = started + (n * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(n));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]);
  return { answered: latencies.length, errors, p50: pct(50), p99: pct(99), max: Math.round(latencies[latencies.length - 1]), wall: (performance.now() - started) / 1000 };
}

async function waitForOutbox(db, timeoutMs) {
  const started = Date.now();
  for (;;) {
    const [[row]] = await db.query(`SELECT COUNT(*) AS n FROM notification_outbox WHERE state = 'pending'`);
    if (Number(row.n) === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs) return null;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const MARIADB_SOCKET = process.env.BENCH_MARIADB_SOCKET || '/run/mysqld/mysqld.sock';
const TRANSPORT = process.env.BENCH_TRANSPORT || (existsSync(MARIADB_SOCKET) ? 'socket' : 'tcp');

async function main() {
  const redis = await startRedisServer({ args: PRODUCTION_ARGS, unixSocket: true });
  const transport = TRANSPORT === 'socket' ? { DB_SOCKET: MARIADB_SOCKET, REDIS_SOCKET: redis.socket } : {};
  console.log(`transport: ${TRANSPORT === 'socket' ? `Unix sockets (${MARIADB_SOCKET}, ${redis.socket})` : 'loopback TCP'}; Redis with ${PRODUCTION_ARGS.join(' ')}`);
  const api = await startApiProcess({ LOG_LEVEL: 'error', REDIS_PORT: String(redis.port), ...transport, ...(WORKER_PROCESSES > 0 ? { RUN_WORKERS: 'false' } : {}) });
  const workers = Array.from({ length: WORKER_PROCESSES }, () => api.spawnWorker({ LOG_LEVEL: 'error' }));
  const db = await api.connectDb();
  try {
    await new Promise((r) => setTimeout(r, 2000)); // workers connected
    const people = await (await fetch(`${api.baseUrl}/api/v1/auth/demo-people`)).json();
    const contacts = people.filter((p) => p.roles.length === 1 && p.roles[0] === '企业联系人').slice(0, 20);
    const tokens = await Promise.all(contacts.map((c) => tokenFor(api.baseUrl, c.id)));
    const { categoryId } = await (await fetch(`${api.baseUrl}/api/v1/intake/defaults`, { headers: { authorization: `Bearer ${tokens[0]}` } })).json();
    const body = JSON.stringify({ categoryId, description: '压测' });
    const common = { url: api.baseUrl, tokens, body };

    // Warm-up long enough for the JIT: the first seconds of a fresh process run slower.
    await fire({ ...common, connections: CONNECTIONS, seconds: 20, keyPrefix: `warm-${process.pid}` });
    await waitForOutbox(db, Number(process.env.BENCH_DRAIN_TIMEOUT_MS || 60_000));

    const meter = cpuMeter({
      api: api.pid,
      workers: workers.map((w) => w.pid),
      mariadb: pidsOf('/usr/sbin/mariadbd'),
      redis: redis.pid,
      'bench (autocannon + fake WeChat)': process.pid,
    });
    const results = [];
    for (let run = 1; run <= RUNS; run++) {
      const [[before]] = await db.query('SELECT COUNT(*) AS n FROM ticket');
      meter.start();
      const sat = await fire({ ...common, connections: CONNECTIONS, seconds: SECONDS, keyPrefix: `sat-${process.pid}-${run}` });
      const cpu = meter.stop();
      const drainMs = await waitForOutbox(db, Number(process.env.BENCH_DRAIN_TIMEOUT_MS || 120_000));
      const [[after]] = await db.query('SELECT COUNT(*) AS n FROM ticket');
      const created = Number(after.n) - Number(before.n);
      const ok = sat['2xx'];
      const perThousand = Object.fromEntries(Object.entries(cpu.used).map(([k, v]) => [k, (v / ok) * 1000]));

      const offered = await paced({ ...common, seconds: SECONDS, rate: RATE, keyPrefix: `rate-${process.pid}-${run}` });
      await waitForOutbox(db, Number(process.env.BENCH_DRAIN_TIMEOUT_MS || 120_000));
      const r = {
        rps: ok / cpu.wall,
        satErrors: sat.non2xx + sat.errors + sat.timeouts,
        satP99: sat.latency.p99,
        created,
        ok,
        drainMs,
        perThousand,
        offeredRps: offered.answered / offered.wall,
        p50: offered.p50,
        p99: offered.p99,
        max: offered.max,
        offeredErrors: offered.errors,
      };
      results.push(r);
      console.log(
        `run ${run}: saturation ${CONNECTIONS} connections ${SECONDS} s: ${r.rps.toFixed(0)} requests/s (p99 ${r.satP99} ms), ${r.satErrors} errors, ` +
          `${r.created} tickets written for ${r.ok} 2xx, messages drained ${drainMs === null ? 'NOT within 120 s' : `${drainMs} ms after`}`,
      );
      console.log(`       CPU s per 1,000 tickets: ${Object.entries(perThousand).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
      console.log(`       offered ${RATE}/s ${SECONDS} s: ${r.offeredRps.toFixed(0)}/s answered, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, ${r.offeredErrors} errors`);
    }
    console.log(
      `median of ${RUNS}: ${median(results.map((r) => r.rps)).toFixed(0)} requests/s at saturation; at ${RATE}/s offered p50 ${median(results.map((r) => r.p50))} ms, ` +
        `p99 ${median(results.map((r) => r.p99))} ms; errors ${results.reduce((s, r) => s + r.satErrors + r.offeredErrors, 0)}; ` +
        `API peak RSS ${peakRssMb(api.pid)} MB${workers.length ? `, worker peak RSS ${workers.map((w) => peakRssMb(w.pid)).join('/')} MB` : ''}`,
    );
  } finally {
    await db.end();
    await api.stop();
    await redis.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
