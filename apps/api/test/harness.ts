import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import * as mysql from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../src/config/config';
import { createHttpApp } from '../src/infra/http/http-app';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  db: DataSource;
  redis: Redis;
  close(): Promise<void>;
}

/**
 * The real service on the real MariaDB/MySQL and Redis, with a database and a queue prefix
 * of its own that close() drops, so test files never see each other's data.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const run = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DB_HOST: process.env.DB_HOST,
    DB_PORT: process.env.DB_PORT,
    DB_USER: process.env.DB_USER,
    DB_PASSWORD: process.env.DB_PASSWORD,
    REDIS_HOST: process.env.REDIS_HOST,
    REDIS_PORT: process.env.REDIS_PORT,
    DB_NAME: `qihu_e2e_${run}`,
    QUEUE_PREFIX: `qihu-e2e-${run}`,
    DB_CREATE: 'true',
    SEED_DEMO: 'true',
    H5_DIR: '',
    ...env,
  });
  const app = await createHttpApp(config);
  await app.init();
  const redis = new Redis({ host: config.redis.host, port: config.redis.port, password: config.redis.password });
  return {
    app,
    config,
    db: app.get(DataSource),
    redis,
    async close() {
      await app.close();
      await deleteKeys(redis, `${config.queuePrefix}:*`);
      await redis.quit();
      await dropDatabase(config);
    },
  };
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

async function dropDatabase(config: AppConfig): Promise<void> {
  const conn = await mysql.createConnection({
    host: config.db.host,
    port: config.db.port,
    user: config.db.user,
    password: config.db.password,
  });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${config.db.name}\``);
  } finally {
    await conn.end();
  }
}

/** Polls until `probe` returns a value (not undefined) or the time is up. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function idempotencyKey(): string {
  return `k${randomBytes(12).toString('hex')}`;
}
