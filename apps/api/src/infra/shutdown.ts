import { INestApplicationContext } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: stop taking requests, let workers finish their jobs, close queues, Redis
 * and the pool (Nest's shutdown hooks, in that order), then exit 0. Nest's own
 * enableShutdownHooks re-raises the signal after closing, which reads as a crash to process
 * managers; a second signal, or 25 s without finishing, exits at once.
 */
export function closeOnSignals(app: INestApplicationContext, graceMs = 25_000): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    const force = setTimeout(() => {
      process.stderr.write(`qihu: shutdown after ${signal} took longer than ${graceMs} ms, exiting\n`);
      process.exit(1);
    }, graceMs);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`qihu: error while shutting down: ${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}
