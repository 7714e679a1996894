import { DynamicModule, Module } from '@nestjs/common';
import { OrgModule } from '../org/org.module';
import { EquipmentController } from './equipment.controller';
import { EquipmentService } from './equipment.service';
import { RecurringFaultsCheck } from './recurring-check';
import { RecurringFaultsService } from './recurring-faults.service';

/**
 * Equipment files (一设备一档): machines, QR labels, history with MTBF/MTTR, 一类事. Global so
 * ticket intake (EquipmentService.findForFirm) and dispatch (addHistorySource) reach it. With
 * `workers: false` (an API-only process) the daily 一类事 check runs elsewhere.
 */
@Module({})
export class EquipmentModule {
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: EquipmentModule,
      global: true,
      imports: [OrgModule],
      controllers: [EquipmentController],
      providers: [EquipmentService, RecurringFaultsService, ...(options.workers ? [RecurringFaultsCheck] : [])],
      exports: [EquipmentService],
    };
  }
}
