import { DynamicModule, Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { DispatchController } from './dispatch.controller';
import { DispatchService } from './dispatch.service';

/** Crews, dispatch, on-site proof, work lines and bills; its timers fire in worker processes like every SLA timer. */
@Module({})
export class DispatchModule {
  static register(_options: { workers: boolean }): DynamicModule {
    return {
      module: DispatchModule,
      imports: [TicketsModule],
      controllers: [DispatchController],
      providers: [DispatchService],
      exports: [DispatchService],
    };
  }
}
