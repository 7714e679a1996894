import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { LessThan } from 'typeorm';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { REDIS } from '../../infra/queue/queue.module';
import { SlaTimer, TimerState } from './sla-timer.entity';
import { SlaService } from './sla.service';

/** Timers read and armed per round trip; small enough that workers get Redis between pages. */
const PAGE = 1000;
/** A job should have fired by now; past this the reconciler fires the timer itself. */
const OVERDUE_GRACE_MS = 2000;
/** Overdue timers fired in parallel by the reconciler (each is its own transaction). */
const FIRE_LANES = 6;

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
    let fired = 0;
    if ((await this.redis.exists(this.markerKey)) === 0) {
      // Redis lost its jobs: what is already due fires now, before the long re-arm.
      fired += await this.fireOverdue(0);
      rearmed = await this.rearmAll();
      await this.redis.set(this.markerKey, this.clock.now().toISOString());
      this.logger.log({ rearmed, fired }, 'armed timers re-armed from the database');
    }
    fired += await this.fireOverdue(OVERDUE_GRACE_MS);
    return { rearmed, fired };
  }

  /**
   * Soonest first (keyset paging on the (state, due_at) index), so timers that fell due while
   * Redis was empty fire within the first page instead of after the whole set is armed.
   */
  private async rearmAll(): Promise<number> {
    let count = 0;
    let after: { dueAt: Date; id: number } | null = null;
    for (;;) {
      const qb = this.transactions.manager
        .createQueryBuilder(SlaTimer, 't')
        .select(['t.id', 't.ticketId', 't.version', 't.dueAt'])
        .where('t.state = :armed', { armed: TimerState.Armed })
        .orderBy('t.dueAt', 'ASC')
        .addOrderBy('t.id', 'ASC')
        .take(PAGE);
      if (after) {
        // The leading `due_at >= :due` keeps this a range scan of the (state, due_at) index.
        qb.andWhere('t.due_at >= :due AND (t.due_at > :due OR t.id > :id)', { due: after.dueAt, id: after.id });
      }
      const page = await qb.getMany();
      if (page.length === 0) return count;
      await this.sla.arm(page);
      count += page.length;
      const last = page[page.length - 1];
      after = { dueAt: last.dueAt, id: last.id };
    }
  }

  /** Fires armed timers due more than `graceMs` ago, a few at a time, soonest first. */
  private async fireOverdue(graceMs: number): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - graceMs);
    const overdue = await this.transactions.manager.find(SlaTimer, {
      select: { id: true, ticketId: true, version: true },
      where: { state: TimerState.Armed, dueAt: LessThan(cutoff) },
      order: { dueAt: 'ASC' },
      take: PAGE,
    });
    let fired = 0;
    let next = 0;
    const lane = async () => {
      while (!this.stopped && next < overdue.length) {
        const t = overdue[next++];
        try {
          if (await this.sla.fire({ timerId: t.id, ticketId: t.ticketId, version: t.version })) fired += 1;
        } catch (err) {
          // One bad timer must not stop the others, nor the re-arm that follows.
          this.logger.warn({ err, timerId: t.id }, 'overdue timer could not be fired; retrying next pass');
        }
      }
    };
    await Promise.all(Array.from({ length: FIRE_LANES }, lane));
    if (fired > 0) this.logger.warn({ fired }, 'overdue timers fired by the reconciler');
    return fired;
  }
}
