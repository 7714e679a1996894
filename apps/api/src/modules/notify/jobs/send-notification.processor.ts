import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { NotifyJobName, NotifySendPayload, QueueName } from '@qihu/contracts';
import { Job } from 'bullmq';
import { AttemptOutcome, DeliveryService } from '../delivery.service';
import { NotifyService } from '../notify.service';

function isSendPayload(data: unknown): data is NotifySendPayload {
  const id = (data as Partial<NotifySendPayload> | null)?.outboxId;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0;
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

  async process(job: Job): Promise<AttemptOutcome | null> {
    if (job.name !== NotifyJobName.Send) throw new Error(`unknown job ${job.name} on ${QueueName.Notify}`);
    if (!isSendPayload(job.data)) throw new Error(`invalid ${job.name} payload: ${JSON.stringify(job.data)}`);
    const started = Date.now();
    // attemptsMade counts the runs of this job that failed before this one.
    const outcome = await this.delivery.attempt(job.data.outboxId, {
      lastTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      retryInMs: this.notify.retryDelayAfter(job.attemptsMade + 1),
    });
    this.logger.log({ jobId: job.id, ...job.data, ...outcome, ms: Date.now() - started }, 'notify send done');
    if (outcome?.retry) throw new Error(`delivery of notification ${job.data.outboxId} failed (${outcome.result}); retrying`);
    return outcome;
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
