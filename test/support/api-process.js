// Runs the built API (apps/api/dist/main.js) as a real process with a database and a queue
// prefix of its own, and removes both when stopped. For system tests that need the product
// exactly as `npm start` runs it.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const Redis = require('ioredis');
const { startFakeWechat } = require('../fakes/wechat-server');
const mysql = require('mysql2/promise');
const { freePort } = require('./ports');

const root = path.resolve(__dirname, '../..');

async function waitForHealth(baseUrl, child, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`API exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`API did not become healthy within ${timeoutMs} ms`);
}

async function startApiProcess(env = {}) {
  const run = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const fakeWechat = await startFakeWechat({ port: 0 });
  const port = await freePort();
  const dbName = `qihu_sys_${run}`;
  const queuePrefix = `qihu-sys-${run}`;
  const output = [];
  const serviceEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    DB_NAME: dbName,
    QUEUE_PREFIX: queuePrefix,
    // Demo login: system tests log in as seeded people. WeChat itself is the fake server, so
    // subscribe messages are delivered as in production instead of failing and being retried.
    WECHAT_FAKE: 'true',
    WECHAT_API_BASE: fakeWechat.url,
    LOGIN_RATE_LIMIT: '1000',
    ...env,
  };
  const spawnService = (entry, extra = {}) => {
    const nodeArgs = (process.env.API_NODE_ARGS || '').split(' ').filter(Boolean);
    const proc = spawn(process.execPath, [...nodeArgs, path.join(root, 'apps/api/dist', entry)], {
      cwd: root,
      env: { ...serviceEnv, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (d) => output.push(String(d)));
    proc.stderr.on('data', (d) => output.push(String(d)));
    proc.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    return proc;
  };
  const child = spawnService('main.js');
  const workers = [];
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    await fakeWechat.close();
    throw new Error(`${err.message}\n--- API output ---\n${output.join('')}`);
  }

  return {
    baseUrl,
    /** The API process, for benchmarks that read its CPU time and memory from /proc. */
    pid: child.pid,
    dbName,
    queuePrefix,
    output,
    /** A connection of the test's own to the API's database, for reading what the API wrote. */
    connectDb() {
      return mysql.createConnection({ ...dbConnectionOptions(), database: dbName });
    },
    /** Another worker process (dist/worker.js) on the same database and queues. */
    spawnWorker(extra = {}) {
      const worker = spawnService('worker.js', extra);
      workers.push(worker);
      return worker;
    },
    /** Another API process (HTTP and workers) on the same database and queues, as behind a load balancer. */
    async spawnApi(extra = {}) {
      const otherPort = await freePort();
      const other = spawnService('main.js', { PORT: String(otherPort), ...extra });
      workers.push(other);
      const otherUrl = `http://127.0.0.1:${otherPort}`;
      await waitForHealth(otherUrl, other, 60_000);
      return { baseUrl: otherUrl, pid: other.pid };
    },
    /** SIGTERM everything, wait for clean exits, then drop the database and the queue keys. */
    async stop() {
      for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGTERM');
      child.kill('SIGTERM');
      const result = await Promise.race([
        child.exited,
        new Promise((resolve) => setTimeout(() => resolve(null), 15_000)),
      ]);
      if (result === null) child.kill('SIGKILL');
      await Promise.all(workers.map((w) => Promise.race([w.exited, new Promise((r) => setTimeout(r, 15_000))])));
      await cleanup(dbName, queuePrefix, serviceEnv);
      await fakeWechat.close();
      return result;
    },
  };
}

/** A Bearer token for a seeded person acting in a role: demo login, then switch-role. */
async function tokenFor(baseUrl, personId, roleAssignmentId) {
  const post = async (path, body, token) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const session = await post('/api/v1/auth/demo-login', { personId });
  if (!roleAssignmentId) return session.accessToken;
  return (await post('/api/v1/auth/switch-role', { roleAssignmentId }, session.accessToken)).accessToken;
}

/** The MariaDB the API processes use, from the same variables they read (shared server by default). */
function dbConnectionOptions() {
  return {
    host: process.env.DB_HOST || '127.0.0.1',
    port: Number(process.env.DB_PORT || 3306),
    user: process.env.DB_USER || 'root',
    password: process.env.DB_PASSWORD || '',
  };
}

async function cleanup(dbName, queuePrefix, env) {
  const conn = await mysql.createConnection(dbConnectionOptions());
  await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
  await conn.end();
  const redis = new Redis({ host: env.REDIS_HOST || '127.0.0.1', port: Number(env.REDIS_PORT || 6379) });
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

module.exports = { startApiProcess, tokenFor };
