// A redis-server of the test's own on a spare loopback port, so fault tests can flush, stop
// and restart it without touching the shared Redis that other tests use. Benchmarks pass the
// production settings (docker/compose.yml) as `args`, and may ask for a Unix socket as well.
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const Redis = require('ioredis');
const { answers, freePort } = require('./ports');

/** What docker/compose.yml runs Redis with. */
const PRODUCTION_ARGS = ['--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--hz', '100'];

async function startRedisServer({ args = ['--appendonly', 'no'], unixSocket = false } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'qihu-redis-'));
  const socket = unixSocket ? path.join(dir, 'redis.sock') : null;
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...(socket ? ['--unixsocket', socket, '--unixsocketperm', '700'] : []), ...args],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const until = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (Date.now() > until) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const client = new Redis({ port, host: '127.0.0.1' });
  return {
    port,
    socket,
    pid: proc.pid,
    client,
    flushall: () => client.flushall(),
    async stop() {
      client.disconnect();
      proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startRedisServer, PRODUCTION_ARGS };
