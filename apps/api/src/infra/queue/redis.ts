import type { AppConfig } from '../../config/config';

/**
 * ioredis options for every connection. Workers need maxRetriesPerRequest: null (BullMQ
 * blocks on Redis); reconnects back off up to ~1 s so a Redis restart is ridden out.
 */
export function redisOptions(redis: AppConfig['redis']) {
  return {
    host: redis.host,
    port: redis.port,
    password: redis.password,
    db: redis.db,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
  };
}
