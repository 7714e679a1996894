import type { AppConfig } from '../../config/config';

/**
 * ioredis options for every connection. Workers need maxRetriesPerRequest: null (BullMQ
 * blocks on Redis); reconnects back off up to ~1 s so a Redis restart is ridden out. A Unix
 * socket, when Redis runs on the same machine, costs each command less than loopback TCP.
 */
export function redisOptions(redis: AppConfig['redis']) {
  return {
    ...(redis.socketPath ? { path: redis.socketPath } : { host: redis.host, port: redis.port }),
    password: redis.password,
    db: redis.db,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
  };
}
