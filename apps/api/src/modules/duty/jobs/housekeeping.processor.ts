import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DutyJobName, QueueName } from '@qihu/contracts';
import { HOUR_MS } from '@qihu/domain';
import { Job, Queue } from 'bullmq';
import { withTimeout } from '../../../infra/timeout';
import { DutyService } from '../duty.service';

/** One scheduler for every process: upserting it again (each worker at boot) changes nothing. */
export const HOUSEKEEPING_SCHEDULER_ID = 'duty-housekeeping';
export const HOUSEKEEPING_EVERY_MS = HOUR_MS;
/** Runs kept in Redis for inspection; failed runs are retried by the next one an hour later. */
const KEEP_JOBS = 50;
const SCHEDULE_TIMEOUT_MS = 5000;

/**
 * Thin: the hourly housekeeping (materialise templates ahead, raise and resolve coverage
 * alerts), delegated to DutyService and logged with its duration. Worker processes only; the
 * first run comes at once when the scheduler is first created.
 */
@Processor(QueueName.Duty, { concurrency: 1 })
export class DutyHousekeepingProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(DutyHousekeepingProcessor.name);

  constructor(
    private readonly duty: DutyService,
    @InjectQueue(QueueName.Duty) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    // Redis away at boot must not hold the process: the next boot (or another worker) schedules it.
    await withTimeout(
      this.queue.upsertJobScheduler(HOUSEKEEPING_SCHEDULER_ID, { every: HOUSEKEEPING_EVERY_MS }, {
        name: DutyJobName.Housekeeping,
        data: {},
        opts: { removeOnComplete: KEEP_JOBS, removeOnFail: KEEP_JOBS },
      }),
      SCHEDULE_TIMEOUT_MS,
    ).catch((err) => this.logger.warn({ err }, 'duty housekeeping could not be scheduled'));
  }

  async process(job: Job): Promise<{ shiftsCreated: number; alertsRaised: number; alertsResolved: number }> {
    if (job.name !== DutyJobName.Housekeeping) throw new Error(`unknown job ${job.name} on ${QueueName.Duty}`);
    const started = Date.now();
    const result = await this.duty.housekeeping();
    this.logger.log({ jobId: job.id, ...result, ms: Date.now() - started }, 'duty housekeeping done');
    return result;
  }
}
