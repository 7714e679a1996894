import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { Role } from '@qihu/contracts';
import request from 'supertest';
import { FindOptionsWhere, IsNull } from 'typeorm';
import Redis from 'ioredis';
import * as mysql from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../src/config/config';
import { createHttpApp } from '../src/infra/http/http-app';
import { RoleAssignment } from '../src/modules/identity/role-assignment.entity';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  db: DataSource;
  redis: Redis;
  /** A bearer token for the seeded person holding this role (the first match, or as filtered). */
  as(role: Role, where?: FindOptionsWhere<RoleAssignment>): Promise<Actor>;
  close(): Promise<void>;
}

/** A logged-in test user acting in one role. */
export interface Actor {
  token: string;
  personId: number;
  assignment: RoleAssignment;
  /** `Authorization` header value. */
  auth: string;
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
    // Demo login (fake WeChat) gives tests a token for any seeded person.
    WECHAT_FAKE: 'true',
    WECHAT_API_BASE: 'http://127.0.0.1:9',
    LOGIN_RATE_LIMIT: '1000',
    ...env,
  });
  const app = await createHttpApp(config);
  await app.init();
  const redis = new Redis({ host: config.redis.host, port: config.redis.port, password: config.redis.password });
  const db = app.get(DataSource);
  return {
    app,
    config,
    db,
    redis,
    async as(role, where = {}) {
      const assignment = await db.getRepository(RoleAssignment).findOneOrFail({
        where: { role, revokedAt: IsNull(), ...where },
        order: { id: 'ASC' },
      });
      const token = await sessionToken(app, assignment.personId, assignment.id);
      return { token, personId: assignment.personId, assignment, auth: `Bearer ${token}` };
    },
    async close() {
      await app.close();
      await deleteKeys(redis, `${config.queuePrefix}:*`);
      await redis.quit();
      await dropDatabase(config);
    },
  };
}

/** Demo login, then switch to the wanted role: the same calls the mini-program makes. */
export async function sessionToken(app: INestApplication, personId: number, roleAssignmentId: number): Promise<string> {
  const login = await request(app.getHttpServer()).post('/api/v1/auth/demo-login').send({ personId }).expect(200);
  const switched = await request(app.getHttpServer())
    .post('/api/v1/auth/switch-role')
    .set('Authorization', `Bearer ${login.body.accessToken}`)
    .send({ roleAssignmentId })
    .expect(200);
  return switched.body.accessToken;
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
