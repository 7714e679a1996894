import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DAY_MS } from '@qihu/domain';
import { RepeatingTask } from '../../infra/queue/repeating-task';
import { RecurringFaultsService } from './recurring-faults.service';

/** The first pass waits for the process to settle (and the demo seed); then one pass a day. */
const FIRST_PASS_DELAY_MS = 60_000;

/**
 * 一类事, daily: tells the community admins of recurring groups they were not told of yet. A
 * timer in each worker process rather than a queue job, like the uploads janitor: a pass is
 * idempotent and safe in several processes at once (a notice row lock decides), so it only
 * needs to run somewhere. Registered only in worker processes (EquipmentModule `workers`).
 */
@Injectable()
export class RecurringFaultsCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RecurringFaultsCheck.name);
  private readonly task: RepeatingTask;

  constructor(private readonly recurring: RecurringFaultsService) {
    this.task = new RepeatingTask(this.logger, DAY_MS, async () => {
      const told = await this.recurring.notifyNewGroups();
      if (told > 0) this.logger.log({ told }, 'recurring fault groups notified');
    });
  }

  onApplicationBootstrap(): void {
    this.task.start(FIRST_PASS_DELAY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
