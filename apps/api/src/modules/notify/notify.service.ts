import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { NotificationDeliveryState, NotificationKind, NotifyJobName, NotifySendPayload, QueueName } from '@qihu/contracts';
import { JobsOptions, Queue } from 'bullmq';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { Tx } from '../../infra/database/transaction';
import { InsertedId } from '../../infra/database/write-batch';
import { withTimeout } from '../../infra/timeout';
import { Notification, NotificationOutbox } from './entities';
import { NOTIFY_OPTIONS, NotifyOptions } from './notify.options';
import { TEMPLATES, truncate } from './templates';

/** One message to one person. `title`/`body` are Chinese text for the inbox; `data` fills the WeChat template. */
export interface NotificationInput {
  personId: number;
  kind: NotificationKind;
  ticketId: number | null;
  title: string;
  body: string;
  /** Mini-program page the message opens, e.g. `pages/ticket/index?id=12`. */
  page: string;
  /** Template fields by meaning (ticketNumber, category, firm, status, time, note); the sender maps them to WeChat keys. */
  data: Record<string, string>;
}

/** How long enqueueing may hold a request when Redis is slow or away; the relay enqueues later. */
const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * Deterministic per set of notifications, so enqueueing the same set twice adds one job: the
 * rows of one change (`n<first>-<last>`, ids no other change has) or one row the relay hands
 * back (`n<id>`). No ':' allowed. A row in two jobs is still sent once: its claim is a lease.
 */
export function sendJobId(notificationIds: readonly number[]): string {
  const [first] = notificationIds;
  const last = notificationIds[notificationIds.length - 1];
  return notificationIds.length === 1 ? `n${first}` : `n${first}-${last}`;
}

/**
 * The transactional outbox of notifications: inbox entries and their pending deliveries are
 * written in the caller's transaction, and the send jobs added once it commits. Whatever is lost
 * between commit and Redis (a crash, a flushed queue) the relay enqueues again.
 */
@Injectable()
export class NotifyService {
  constructor(
    @InjectQueue(QueueName.Notify) private readonly queue: Queue,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(NOTIFY_OPTIONS) private readonly options: NotifyOptions,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues inbox entries, and the outbox rows of those WeChat delivers, with the caller's
   * pending rows; the send jobs are added once the transaction commits. Each outbox row names
   * its notification by the id it gets (ids of one multi-row INSERT need not be consecutive).
   */
  enqueue(tx: Tx, items: NotificationInput[]): void {
    if (items.length === 0) return;
    const now = this.clock.now();
    const deliverable: InsertedId[] = [];
    for (const item of items) {
      const id = tx.pending.insert(Notification, {
        personId: item.personId,
        kind: item.kind,
        ticketId: item.ticketId,
        title: truncate(item.title, 100),
        body: truncate(item.body, 500),
        page: item.page,
        data: item.data,
        createdAt: now,
        readAt: null,
      });
      // Kinds without a WeChat template live in the inbox only.
      if (TEMPLATES[item.kind] === null) continue;
      tx.pending.insert(NotificationOutbox, {
        notificationId: id,
        state: NotificationDeliveryState.Pending,
        attempts: 0,
        dueAt: now,
        msgid: null,
        updatedAt: now,
      });
      deliverable.push(id);
    }
    // One send job for the change: two holders of a ticket cost one job, not two.
    if (deliverable.length) tx.afterCommit(() => this.dispatch([deliverable.map((id) => id.value)]));
  }

  /**
   * Adds one send job per group of outbox rows. Idempotent: a job id already in the queue
   * (waiting, delayed, active, or kept after it ended) is left as it is. Rejects when Redis
   * does not answer in time; callers log that and leave the rows to the relay.
   */
  async dispatch(groups: ReadonlyArray<readonly number[]>): Promise<void> {
    const jobs = groups
      .filter((ids) => ids.length > 0)
      .map((outboxIds) => ({
        name: NotifyJobName.Send,
        data: { outboxIds: [...outboxIds] } satisfies NotifySendPayload,
        opts: { ...this.sendJobOptions(), jobId: sendJobId(outboxIds) },
      }));
    if (jobs.length === 0) return;
    await withTimeout(this.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS, `enqueueing notifications timed out after ${ENQUEUE_TIMEOUT_MS} ms`);
  }

  /** How long BullMQ waits before the retry that follows `failedAttempts` failures (its exponential backoff). */
  retryDelayAfter(failedAttempts: number): number {
    return this.options.retryDelayMs * 2 ** (failedAttempts - 1);
  }

  /** Retried with exponential backoff up to config.notify.attempts; failures kept (capped) for inspection. */
  private sendJobOptions(): JobsOptions {
    return {
      attempts: this.config.notify.attempts,
      backoff: { type: 'exponential', delay: this.options.retryDelayMs },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { count: 10_000 },
    };
  }
}
