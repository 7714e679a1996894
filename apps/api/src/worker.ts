import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadConfig } from './config/config';
import { closeOnSignals } from './infra/shutdown';

/** Queue workers and the SLA reconciler only, for scaling out beside API processes. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, { workers: true }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  closeOnSignals(app);
  app.get(Logger).log('qihu worker started');
}

main().catch((err) => {
  process.stderr.write(`qihu worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
