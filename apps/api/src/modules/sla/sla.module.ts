import { DynamicModule, Module } from '@nestjs/common';
import { FireTimerProcessor } from './jobs/fire-timer.processor';
import { SlaReconciler } from './reconciler.service';
import { SlaService } from './sla.service';

/**
 * Deadlines and their alarm clocks. With `workers: false` (an API-only process) timers are
 * still written and armed, but fired elsewhere.
 */
@Module({})
export class SlaModule {
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: SlaModule,
      global: true,
      providers: [SlaService, ...(options.workers ? [FireTimerProcessor, SlaReconciler] : [])],
      exports: [SlaService],
    };
  }
}
