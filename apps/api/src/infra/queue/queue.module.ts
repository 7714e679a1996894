import { BullModule } from '@nestjs/bullmq';
import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { QueueName } from '@qihu/contracts';
import Redis from 'ioredis';
import { AppConfig, CONFIG } from '../../config/config';
import { redisOptions } from './redis';

/** A plain Redis client for health checks and the reconciler's markers (queues have their own). */
export const REDIS = Symbol('Redis');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: redisOptions(config.redis),
        prefix: config.queuePrefix,
      }),
    }),
    BullModule.registerQueue({ name: QueueName.SlaTimers }, { name: QueueName.Notify }, { name: QueueName.Duty }),
  ],
  providers: [
    {
      provide: REDIS,
      inject: [CONFIG],
      useFactory: (config: AppConfig) => new Redis(redisOptions(config.redis)),
    },
    RedisCloser,
  ],
  exports: [BullModule, REDIS],
})
export class QueueModule {}
