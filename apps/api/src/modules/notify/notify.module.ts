import { DynamicModule, Module } from '@nestjs/common';
import { DeliveryService } from './delivery.service';
import { InboxService } from './inbox.service';
import { SendNotificationProcessor } from './jobs/send-notification.processor';
import { NotifyController } from './notify.controller';
import { DEFAULT_RETRY_DELAY_MS, NOTIFY_OPTIONS, NotifyOptions } from './notify.options';
import { NotifyService } from './notify.service';
import { NotifyRelay } from './relay.service';

/**
 * Notifications: the inbox, and WeChat subscribe messages through a transactional outbox.
 * With `workers: false` (an API-only process) deliveries are still written and enqueued, but
 * sent and relayed elsewhere.
 */
@Module({})
export class NotifyModule {
  static register(options: { workers: boolean; retryDelayMs?: number }): DynamicModule {
    const resolved: NotifyOptions = { retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS };
    return {
      module: NotifyModule,
      global: true,
      controllers: [NotifyController],
      providers: [
        { provide: NOTIFY_OPTIONS, useValue: resolved },
        NotifyService,
        InboxService,
        ...(options.workers ? [DeliveryService, SendNotificationProcessor, NotifyRelay] : []),
      ],
      exports: [NotifyService],
    };
  }
}
