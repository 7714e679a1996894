import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NotificationDeliveryState } from '@qihu/contracts';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { RepeatingTask } from '../../infra/queue/repeating-task';
import { NotificationOutbox } from './entities';
import { NotifyService } from './notify.service';

/** Outbox rows enqueued per round trip. */
const PAGE = 1000;
/**
 * A pending row this long past its due time has lost its job: never enqueued (a crash between
 * commit and enqueue, Redis away) or dropped by Redis (flushed, restarted without persistence).
 * Long enough that an attempt in flight (WeChat answers or times out within 5 s) is left alone.
 */
export const LOST_JOB_GRACE_MS = 10_000;

/**
 * The outbox relay: every few seconds (config.sla.reconcileIntervalMs, the reconcilers' tick)
 * it enqueues again the pending rows whose job should have run by now. Idempotent by job id,
 * so a job still waiting, delayed or running is left alone; safe in many processes at once.
 */
@Injectable()
export class NotifyRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotifyRelay.name);
  private readonly task: RepeatingTask;

  constructor(
    @Inject(CONFIG) config: AppConfig,
    private readonly notify: NotifyService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {
    this.task = new RepeatingTask(this.logger, config.sla.reconcileIntervalMs, () => this.relay());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; returns how many rows were handed to the queue again. Public so tests can drive it. */
  async relay(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - LOST_JOB_GRACE_MS);
    let relayed = 0;
    let after = 0;
    while (!this.task.isStopped) {
      const page = await this.transactions.manager
        .createQueryBuilder(NotificationOutbox, 'o')
        .select('o.notificationId')
        .where('o.state = :pending AND o.due_at < :cutoff AND o.notification_id > :after', {
          pending: NotificationDeliveryState.Pending,
          cutoff,
          after,
        })
        .orderBy('o.notificationId', 'ASC')
        .take(PAGE)
        .getMany();
      if (page.length === 0) break;
      const ids = page.map((row) => row.notificationId);
      // One job per row: a row's own job id, the same in every process's relay.
      await this.notify.dispatch(ids.map((id) => [id]));
      relayed += ids.length;
      after = ids[ids.length - 1];
    }
    // Most of these are no-ops (jobs still queued behind a backlog); a lost job is enqueued afresh.
    if (relayed > 0) this.logger.log({ relayed }, 'pending notifications past due handed to the queue again');
    return relayed;
  }
}
