import { DynamicModule, Module } from '@nestjs/common';

/** With `workers: false` (an API-only process) jobs are still enqueued, but processed elsewhere. */
@Module({})
export class EquipmentModule {
  static register(_options: { workers: boolean }): DynamicModule {
    return { module: EquipmentModule, global: true, providers: [], exports: [] };
  }
}
