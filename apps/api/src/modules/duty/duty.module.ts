import { DynamicModule, Module } from '@nestjs/common';
import { DutyService } from './duty.service';

/** With `workers: false` (an API-only process) jobs are still enqueued, but processed elsewhere. */
@Module({})
export class DutyModule {
  static register(_options: { workers: boolean }): DynamicModule {
    return { module: DutyModule, global: true, providers: [DutyService], exports: [DutyService] };
  }
}
