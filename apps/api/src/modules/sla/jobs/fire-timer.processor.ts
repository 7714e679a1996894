import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { FireTimerPayload, QueueName, SlaJobName } from '@qihu/contracts';
import { Job } from 'bullmq';
import { SlaService } from '../sla.service';

function isFireTimerPayload(data: unknown): data is FireTimerPayload {
  const d = data as Partial<FireTimerPayload> | null;
  return (
    !!d &&
    [d.timerId, d.ticketId, d.version].every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n > 0)
  );
}

/** Thin: validate the payload, delegate to SlaService, log with duration. */
@Processor(QueueName.SlaTimers, { concurrency: 8 })
export class FireTimerProcessor extends WorkerHost {
  private readonly logger = new Logger(FireTimerProcessor.name);

  constructor(private readonly sla: SlaService) {
    super();
  }

  async process(job: Job): Promise<{ fired: boolean }> {
    if (job.name !== SlaJobName.FireTimer) throw new Error(`unknown job ${job.name} on ${QueueName.SlaTimers}`);
    if (!isFireTimerPayload(job.data)) throw new Error(`invalid ${job.name} payload: ${JSON.stringify(job.data)}`);
    const started = Date.now();
    const fired = await this.sla.fire(job.data);
    this.logger.log({ jobId: job.id, ...job.data, fired, ms: Date.now() - started }, 'fire-timer done');
    return { fired };
  }

  /**
   * A worker's own errors (Redis gone, a job's keys deleted under it by a flush) are logged, not
   * left unhandled: the database still holds the truth and the reconciler repairs the queue.
   */
  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.warn({ err: err.message }, 'fire-timer worker error');
  }
}
