import 'reflect-metadata';
import { loadConfig } from './config/config';
import { createHttpApp } from './infra/http/http-app';
import { closeOnSignals } from './infra/shutdown';

/** HTTP API, and (unless RUN_WORKERS=false) the queue workers and reconciler, in one process. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp(config);
  closeOnSignals(app);
  await app.listen(config.http.port, config.http.host);
  const shown = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  // Plain stdout on purpose: the one line a person starting the demo looks for.
  process.stdout.write(`\n企呼我应 qihu is running: http://${shown}:${config.http.port}/  (API docs: /api/docs)\n\n`);
}

main().catch((err) => {
  process.stderr.write(`qihu failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
