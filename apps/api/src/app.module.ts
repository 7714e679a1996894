import { DynamicModule, Global, Module } from '@nestjs/common';
import { assertTicketMachineSound } from '@qihu/domain';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { CacheModule } from './infra/cache/cache.module';
import { Clock } from './infra/clock';
import { DatabaseModule } from './infra/database/database.module';
import { QueueModule } from './infra/queue/queue.module';
import { WechatModule } from './infra/wechat/wechat.module';
import { DispatchModule } from './modules/dispatch/dispatch.module';
import { DutyModule } from './modules/duty/duty.module';
import { EquipmentModule } from './modules/equipment/equipment.module';
import { HealthModule } from './modules/health/health.module';
import { IdentityModule } from './modules/identity/identity.module';
import { GridChangesModule } from './modules/org/grid-changes/grid-changes.module';
import { OrgModule } from './modules/org/org.module';
import { RosterModule } from './modules/org/roster/roster.module';
import { OrgWarningsModule } from './modules/org/warnings/org-warnings.module';
import { SlaModule } from './modules/sla/sla.module';
import { NotifyModule } from './modules/notify/notify.module';
import { PartsModule } from './modules/parts/parts.module';
import { TicketsModule } from './modules/tickets/tickets.module';
import { UploadsModule } from './modules/uploads/uploads.module';

@Global()
@Module({ providers: [Clock], exports: [Clock] })
class ClockModule {}

/**
 * The whole service. `workers` decides whether this process also fires timers (main.ts by
 * default, worker.ts always); HTTP is only mounted by main.ts.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: { workers: boolean }): DynamicModule {
    // Refuse to boot on a ticket state machine with unreachable states or dead ends.
    assertTicketMachineSound();
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req, res) => {
              const incoming = req.headers['x-request-id'];
              const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            autoLogging: { ignore: (req) => req.url === '/health' },
            // Bearer tokens and cookies never reach the logs.
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
        }),
        ClockModule,
        DatabaseModule,
        QueueModule,
        CacheModule,
        WechatModule,
        IdentityModule,
        SlaModule.register({ workers: options.workers }),
        OrgModule,
        RosterModule,
        GridChangesModule,
        OrgWarningsModule,
        UploadsModule,
        DutyModule.register({ workers: options.workers }),
        NotifyModule.register({ workers: options.workers }),
        TicketsModule,
        EquipmentModule.register({ workers: options.workers }),
        PartsModule.register({ workers: options.workers }),
        DispatchModule.register({ workers: options.workers }),
        HealthModule,
      ],
    };
  }
}
