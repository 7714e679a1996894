// A redis-server of the test's own on a spare loopback port, so fault tests can flush, stop
// and restart it without touching the shared Redis that other tests use.
const { spawn } = require('node:child_process');
const net = require('node:net');
const Redis = require('ioredis');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function answers(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

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
