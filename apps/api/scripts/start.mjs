#!/usr/bin/env node
// `npm start`: make sure MySQL and Redis are up, build what is not built, then run the API
// with its workers and the H5 app on http://127.0.0.1:3000/ (PORT to change). Migrations run
// and the demo community is seeded (empty database) when the API boots. WeChat cannot be
// reached from a demo machine, so a fake WeChat server runs beside it and the login page
// offers 演示登录 (pick a seeded person). Set WECHAT_API_BASE to use the real WeChat instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

function step(label, command, args) {
  process.stdout.write(`» ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`✗ ${label} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

step('检查 MySQL 与 Redis (checking MySQL and Redis)', 'bash', ['docker/services.sh']);
step('构建 API (building the API)', 'npx', ['nx', 'run-many', '-t', 'build', '-p', 'contracts', 'domain', 'api', '--outputStyle=static']);
if (!existsSync(join(root, 'apps/miniprogram/dist/h5/index.html'))) {
  step('构建 H5 页面，首次约需一两分钟 (building the H5 app, first start only)', 'npx', ['nx', 'run', 'miniprogram:build-h5', '--outputStyle=static']);
}

let fakeWechat = null;
if (!env.WECHAT_API_BASE && env.NODE_ENV !== 'production') {
  const { startFakeWechat } = createRequire(import.meta.url)(join(root, 'test/fakes/wechat-server.js'));
  fakeWechat = await startFakeWechat({ port: 0 });
  Object.assign(env, { WECHAT_API_BASE: fakeWechat.url, WECHAT_FAKE: 'true' });
  process.stdout.write(`» 演示模式：微信接口由本机模拟服务提供 (fake WeChat on ${fakeWechat.url})\n`);
}

const api = spawn(process.execPath, ['apps/api/dist/main.js'], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal));
api.on('exit', async (code, signal) => {
  await fakeWechat?.close();
  process.exit(code ?? (signal ? 1 : 0));
});
