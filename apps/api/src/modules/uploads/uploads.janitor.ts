import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, CONFIG } from '../../config/config';
import { RepeatingTask } from '../../infra/queue/repeating-task';
import { UploadsService } from './uploads.service';

/** The first pass waits for the process to settle; then one pass a quarter hour. */
const FIRST_PASS_DELAY_MS = 60_000;
const PASS_INTERVAL_MS = 15 * 60_000;

/**
 * Deletes unattached uploads older than a day. A timer in each worker process rather than a
 * BullMQ repeatable job: a pass is idempotent and safe to run in several processes at once
 * (row locks decide), so it needs no queue, only to run somewhere. API-only processes
 * (RUN_WORKERS=false) leave it to the workers.
 */
@Injectable()
export class UploadsJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UploadsJanitor.name);
  private readonly task: RepeatingTask;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly uploads: UploadsService,
  ) {
    this.task = new RepeatingTask(this.logger, PASS_INTERVAL_MS, async () => {
      const purged = await this.uploads.purgeUnattached();
      if (purged > 0) this.logger.log({ purged }, 'unattached uploads deleted');
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.runWorkers) this.task.start(FIRST_PASS_DELAY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
