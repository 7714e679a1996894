import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { NotifyJobName, NotifySendPayload, QueueName } from '@qihu/contracts';
import { Job } from 'bullmq';
import { AttemptOutcome, DeliveryService } from '../delivery.service';
import { NotifyService } from '../notify.service';

const MAX_ROWS_PER_JOB = 100;
const isRowId = (id: unknown) => typeof id === 'number' && Number.isSafeInteger(id) && id > 0;

/** The rows a job names: `outboxIds`, or `outboxId` of jobs enqueued before rows went in groups. */
function rowsOf(data: unknown): number[] | null {
  const d = data as Partial<NotifySendPayload> & { outboxId?: unknown };
  if (Array.isArray(d?.outboxIds)) return d.outboxIds.length > 0 && d.outboxIds.length <= MAX_ROWS_PER_JOB && d.outboxIds.every(isRowId) ? d.outboxIds : null;
  return isRowId(d?.outboxId) ? [d.outboxId as number] : null;
}

/**
 * Thin: validate the payload, run one delivery attempt, log it with its duration. A failed
 * attempt that is not the last fails the job, so BullMQ retries it with backoff.
 */
@Processor(QueueName.Notify, { concurrency: 4 })
export class SendNotificationProcessor extends WorkerHost {
  private readonly logger = new Logger(SendNotificationProcessor.name);

  constructor(
    private readonly delivery: DeliveryService,
    private readonly notify: NotifyService,
  ) {
    super();
  }

  async process(job: Job): Promise<AttemptOutcome[]> {
    if (job.name !== NotifyJobName.Send) throw new Error(`unknown job ${job.name} on ${QueueName.Notify}`);
    const outboxIds = rowsOf(job.data);
    if (!outboxIds) throw new Error(`invalid ${job.name} payload: ${JSON.stringify(job.data)}`);
    const started = Date.now();
    // attemptsMade counts the runs of this job that failed before this one.
    const outcomes = await this.delivery.attempt(outboxIds, {
      lastTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      retryInMs: this.notify.retryDelayAfter(job.attemptsMade + 1),
    });
    this.logger.log({ jobId: job.id, outcomes, ms: Date.now() - started }, 'notify send done');
    // The job is retried for the rows that need it; those delivered are no longer pending then.
    const failed = outcomes.filter((o) => o.retry);
    if (failed.length) throw new Error(`delivery of notifications ${failed.map((o) => `${o.notificationId} (${o.result})`).join(', ')} failed; retrying`);
    return outcomes;
  }

  /**
   * A worker's own errors (Redis gone, a job's keys deleted under it by a flush) are logged, not
   * left unhandled: the database still holds the truth and the reconciler repairs the queue.
   */
  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.warn({ err: err.message }, 'notify worker error');
  }
}
