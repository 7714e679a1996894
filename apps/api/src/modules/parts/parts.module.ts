import { DynamicModule, Module } from '@nestjs/common';

/** With `workers: false` (an API-only process) jobs are still enqueued, but processed elsewhere. */
@Module({})
export class PartsModule {
  static register(_options: { workers: boolean }): DynamicModule {
    return { module: PartsModule, global: true, providers: [], exports: [] };
  }
}
