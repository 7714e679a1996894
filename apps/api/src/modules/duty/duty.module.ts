import { DynamicModule, Module } from '@nestjs/common';
import { DutyCoverageService } from './coverage.service';
import { DutyAccess } from './duty-access';
import { DutyViews } from './duty-views';
import { DutyController } from './duty.controller';
import { DutyService } from './duty.service';
import { DutyHandoversService } from './handovers.service';
import { DutyHousekeepingProcessor } from './jobs/housekeeping.processor';
import { DutyShiftsService } from './shifts.service';
import { DutySwapsService } from './swaps.service';
import { DutyTemplatesService } from './templates.service';

/**
 * Duty rosters: shifts, weekly templates, swaps, handovers, coverage and its alerts; DutyService
 * answers ticket routing. With `workers: false` (an API-only process) the hourly housekeeping
 * runs elsewhere.
 */
@Module({})
export class DutyModule {
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: DutyModule,
      global: true,
      controllers: [DutyController],
      providers: [
        DutyAccess,
        DutyViews,
        DutyShiftsService,
        DutyTemplatesService,
        DutySwapsService,
        DutyHandoversService,
        DutyCoverageService,
        DutyService,
        ...(options.workers ? [DutyHousekeepingProcessor] : []),
      ],
      exports: [DutyService],
    };
  }
}
