import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../../infra/queue/queue.module';
import { withTimeout } from '../../infra/timeout';
import { Public } from '../identity/auth.decorators';

/** Liveness of what every request needs: the database and Redis. 503 when either is down. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      async () => {
        const db = this.indicators.check('database');
        try {
          await this.dataSource.query('SELECT 1');
          return db.up();
        } catch (err) {
          return db.down({ message: (err as Error).message });
        }
      },
      async () => {
        const redis = this.indicators.check('redis');
        try {
          await withTimeout(this.redis.ping(), 1000);
          return redis.up();
        } catch (err) {
          return redis.down({ message: (err as Error).message });
        }
      },
    ]);
  }
}
