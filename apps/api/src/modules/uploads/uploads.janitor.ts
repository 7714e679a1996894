import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, CONFIG } from '../../config/config';
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
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly uploads: UploadsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.runWorkers) this.schedule(FIRST_PASS_DELAY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.uploads
        .purgeUnattached()
        .then((purged) => purged > 0 && this.logger.log({ purged }, 'unattached uploads deleted'))
        .catch((err) => this.logger.warn({ err }, 'upload clean-up failed; retrying next pass'))
        .finally(() => this.schedule(PASS_INTERVAL_MS));
    }, delay);
  }
}
