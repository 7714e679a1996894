import { DynamicModule, Module } from '@nestjs/common';

/** With `workers: false` (an API-only process) jobs are still enqueued, but processed elsewhere. */
@Module({})
export class DispatchModule {
  static register(_options: { workers: boolean }): DynamicModule {
    return { module: DispatchModule, global: true, providers: [], exports: [] };
  }
}
