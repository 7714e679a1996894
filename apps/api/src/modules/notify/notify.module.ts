import { DynamicModule, Module } from '@nestjs/common';
import { NotifyService } from './notify.service';

/** With `workers: false` (an API-only process) jobs are still enqueued, but processed elsewhere. */
@Module({})
export class NotifyModule {
  static register(_options: { workers: boolean }): DynamicModule {
    return { module: NotifyModule, global: true, providers: [NotifyService], exports: [NotifyService] };
  }
}
