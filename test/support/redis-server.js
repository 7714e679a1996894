// A redis-server of the test's own on a spare loopback port, so fault tests can flush, stop
// and restart it without touching the shared Redis that other tests use.
const { spawn } = require('node:child_process');
const Redis = require('ioredis');
const { answers, freePort } = require('./ports');

async function startRedisServer() {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const until = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (Date.now() > until) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const client = new Redis({ port, host: '127.0.0.1' });
  return {
    port,
    client,
    flushall: () => client.flushall(),
    async stop() {
      client.disconnect();
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

module.exports = { startRedisServer };
