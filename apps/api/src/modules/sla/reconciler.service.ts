import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { LessThan, MoreThan } from 'typeorm';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { REDIS } from '../../infra/queue/queue.module';
import { SlaTimer, TimerState } from './sla-timer.entity';
import { SlaService } from './sla.service';

const PAGE = 5000;
/** A job should have fired by now; past this the reconciler fires the timer itself. */
const OVERDUE_GRACE_MS = 2000;

/**
 * Repairs the alarm clocks. A marker key lives in Redis beside the queues: when it is gone
 * (first start, Redis flushed or restarted without persistence) every armed timer is re-armed
 * from the database. Timers overdue past a grace period are fired directly, which covers a
 * crash between commit and enqueue and any job lost in flight. Safe in many processes at
 * once: arming is idempotent by job id and firing is a versioned update.
 */
@Injectable()
export class SlaReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SlaReconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly sla: SlaService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  private get markerKey(): string {
    return `${this.config.queuePrefix}:sla:armed-marker`;
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.reconcile()
        .catch((err) => this.logger.warn({ err }, 'reconcile pass failed; retrying next tick'))
        .finally(() => this.schedule(this.config.sla.reconcileIntervalMs));
    }, delay);
  }

  /** One pass; public so tests and benchmarks can drive it. */
  async reconcile(): Promise<{ rearmed: number; fired: number }> {
    let rearmed = 0;
    if ((await this.redis.exists(this.markerKey)) === 0) {
      rearmed = await this.rearmAll();
      await this.redis.set(this.markerKey, this.clock.now().toISOString());
      this.logger.log({ rearmed }, 'armed timers re-armed from the database');
    }
    const fired = await this.fireOverdue();
    return { rearmed, fired };
  }

  private async rearmAll(): Promise<number> {
    let count = 0;
    let afterId = 0;
    for (;;) {
      const page = await this.transactions.manager.find(SlaTimer, {
        select: { id: true, ticketId: true, version: true, dueAt: true },
        where: { state: TimerState.Armed, id: MoreThan(afterId) },
        order: { id: 'ASC' },
        take: PAGE,
      });
      if (page.length === 0) return count;
      await this.sla.arm(page);
      count += page.length;
      afterId = page[page.length - 1].id;
    }
  }

  private async fireOverdue(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - OVERDUE_GRACE_MS);
    const overdue = await this.transactions.manager.find(SlaTimer, {
      select: { id: true, ticketId: true, version: true },
      where: { state: TimerState.Armed, dueAt: LessThan(cutoff) },
      order: { dueAt: 'ASC' },
      take: PAGE,
    });
    let fired = 0;
    for (const t of overdue) {
      if (this.stopped) break;
      if (await this.sla.fire({ timerId: t.id, ticketId: t.ticketId, version: t.version })) fired += 1;
    }
    if (fired > 0) this.logger.warn({ fired }, 'overdue timers fired by the reconciler');
    return fired;
  }
}
