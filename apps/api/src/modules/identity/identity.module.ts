import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { AppConfig, CONFIG } from '../../config/config';
import { redisOptions } from '../../infra/queue/redis';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { IdentityService } from './identity.service';
import { PeopleController } from './people.controller';

const THROTTLE_STORAGE = Symbol('ThrottleStorage');

/**
 * Login counters live in Redis beside the queues, under this deployment's (or test run's)
 * prefix. The storage is a provider (not a bare object) so Nest closes its connection.
 */
@Module({
  providers: [
    {
      provide: THROTTLE_STORAGE,
      inject: [CONFIG],
      useFactory: (config: AppConfig) =>
        new ThrottlerStorageRedisService({ ...redisOptions(config.redis), keyPrefix: `${config.queuePrefix}:throttle:` }),
    },
  ],
  exports: [THROTTLE_STORAGE],
})
class ThrottleStorageModule {}

/** People, roles, logins and the global AuthGuard. */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [CONFIG],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, not the string: jsonwebtoken otherwise first tries the secret as a public
        // key on every verify and throws, which cost ~7 % of the CPU of an intake request.
        secret: createSecretKey(Buffer.from(config.auth.jwtSecret)) as unknown as string,
        signOptions: { expiresIn: config.auth.accessTtlSeconds, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    ThrottlerModule.forRootAsync({
      imports: [ThrottleStorageModule],
      inject: [CONFIG, THROTTLE_STORAGE],
      useFactory: (config: AppConfig, storage: ThrottlerStorageRedisService) => ({
        throttlers: [{ name: 'login', ttl: 60_000, limit: config.auth.loginRateLimit }],
        storage,
      }),
    }),
  ],
  controllers: [AuthController, PeopleController],
  providers: [
    IdentityService,
    AuthService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [IdentityService],
})
export class IdentityModule {}
