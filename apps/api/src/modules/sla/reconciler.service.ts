import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { QueueName } from '@qihu/contracts';
import Redis from 'ioredis';
import { LessThan } from 'typeorm';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { REDIS } from '../../infra/queue/queue.module';
import { RepeatingTask } from '../../infra/queue/repeating-task';
import { SlaTimer, TimerState } from './sla-timer.entity';
import { ArmableTimer, jobIdOf, SlaService } from './sla.service';

/** Timers read and armed per round trip; small enough that workers get Redis between pages. */
const PAGE = 1000;
/** A job should have fired by now; past this the reconciler fires the timer itself. */
const OVERDUE_GRACE_MS = 2000;
/** Overdue timers fired in parallel by the reconciler (each is its own transaction). */
const FIRE_LANES = 6;
/** How far back the first pass looks for timers whose job was never enqueued. */
const FIRST_LOOKBACK_MS = 3600_000;
/** Overlap between passes, so a timer committed while the previous pass ran is not missed. */
const LOOKBACK_OVERLAP_MS = 10_000;
/** Younger timers are still being armed by the process that wrote them. */
const ARMING_GRACE_MS = 2000;

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
  private readonly task: RepeatingTask;
  /** When the previous pass began; recent timers are checked from a little before it. */
  private lastPassAt: number | null = null;
  /** Jobs (by id) of recent timers the last pass found in Redis: not asked about again. */
  private withJob = new Set<string>();
  /** A full re-arm in flight (Redis lost its jobs); passes go on firing overdue timers meanwhile. */
  private rearming: Promise<void> | null = null;
  /** Overdue timers being fired; the re-arm waits for them (a late deadline before a far one). */
  private firing: Promise<number> | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly sla: SlaService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {
    this.task = new RepeatingTask(this.logger, config.sla.reconcileIntervalMs, () => this.reconcile());
  }

  private get markerKey(): string {
    return `${this.config.queuePrefix}:sla:armed-marker`;
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
    await this.rearming;
  }

  /** One pass: fired overdue timers, and timers armed because their job was missing. */
  private async reconcile(): Promise<{ rearmed: number; fired: number }> {
    let fired = 0;
    if (!this.rearming && (await this.redis.exists(this.markerKey)) === 0) {
      // Redis lost its jobs: what is already due fires now. The re-arm of everything else
      // (100,000 timers take seconds) runs beside the passes, which keep firing whatever falls
      // due before its job is back.
      fired += await this.fireOverdue(0);
      this.withJob.clear(); // what was seen went with the flush
      this.rearming = this.rearmAll()
        .catch((err) => this.logger.warn({ err }, 're-arm failed; the next pass starts it again'))
        .finally(() => {
          this.rearming = null;
        });
    }
    fired += await this.fireOverdue(OVERDUE_GRACE_MS);
    // While re-arming, every armed timer is getting its job anyway: nothing recent to check.
    const rearmed = this.rearming ? 0 : await this.armRecentWithoutJob();
    return { rearmed, fired };
  }

  /**
   * A process killed between commit and enqueue leaves armed timers without a job while the
   * marker is still there. The job keys of timers written since the last pass are checked in
   * pipelines and the missing ones armed, so such a deadline is on time rather than caught by the
   * overdue lane after it. Passes overlap (a timer committed while the last one read is not
   * missed), but a timer whose job was seen is not asked about again: at 400 intakes a second
   * that is 1,200 key checks a second instead of three times as many.
   */
  private async armRecentWithoutJob(): Promise<number> {
    const now = this.clock.now().getTime();
    const since = this.lastPassAt === null ? now - FIRST_LOOKBACK_MS : this.lastPassAt - LOOKBACK_OVERLAP_MS;
    this.lastPassAt = now;
    const rows: Array<{ id: number; ticketId: number; version: number; dueAt: Date }> = await this.transactions.manager.query(
      'SELECT id, ticket_id AS ticketId, version, due_at AS dueAt FROM sla_timer WHERE created_at >= ? AND created_at < ? AND state = ?',
      [new Date(since), new Date(now - ARMING_GRACE_MS), TimerState.Armed],
    );
    const recent = rows.map((r) => ({ id: Number(r.id), ticketId: Number(r.ticketId), version: Number(r.version), dueAt: r.dueAt }));
    const seenBefore = this.withJob;
    this.withJob = new Set();
    const missing: ArmableTimer[] = [];
    const unknown: ArmableTimer[] = [];
    for (const t of recent) {
      if (seenBefore.has(jobIdOf(t))) this.withJob.add(jobIdOf(t));
      else unknown.push(t);
    }
    for (let i = 0; i < unknown.length && !this.task.isStopped; i += PAGE) {
      const page = unknown.slice(i, i + PAGE);
      const pipeline = this.redis.pipeline();
      for (const t of page) pipeline.exists(`${this.config.queuePrefix}:${QueueName.SlaTimers}:${jobIdOf(t)}`);
      const results = (await pipeline.exec()) ?? [];
      page.forEach((t, j) => (results[j]?.[1] === 0 ? missing.push(t) : this.withJob.add(jobIdOf(t))));
    }
    if (missing.length === 0) return 0;
    await this.sla.arm(missing);
    this.logger.warn({ armed: missing.length }, 'armed timers whose job was never enqueued');
    return missing.length;
  }

  /**
   * Soonest first (keyset paging on the (state, due_at) index), so timers that fell due while
   * Redis was empty fire within the first page instead of after the whole set is armed. The next
   * page is read while the last one is being armed.
   */
  private async rearmAll(): Promise<void> {
    const started = this.clock.now();
    let count = 0;
    let page = await this.armedPage(null);
    while (page.length > 0 && !this.task.isStopped) {
      // Deadlines already missed come first: the CPU goes to firing them, then to arming the rest.
      while (this.firing) await this.firing;
      const last = page[page.length - 1];
      const [next] = await Promise.all([this.armedPage(last), this.sla.arm(page)]);
      count += page.length;
      page = next;
    }
    if (this.task.isStopped) return;
    await this.redis.set(this.markerKey, started.toISOString());
    // Every timer written before the re-arm began has its job: recent checks start there.
    this.lastPassAt = started.getTime();
    this.logger.log({ rearmed: count, ms: this.clock.now().getTime() - started.getTime() }, 'armed timers re-armed from the database');
  }

  /** The next PAGE armed timers after `after` in (due_at, id) order. */
  private async armedPage(after: ArmableTimer | null): Promise<ArmableTimer[]> {
    // The leading `due_at >= ?` keeps this a range scan of the (state, due_at) index.
    const rows: ArmableTimer[] = await this.transactions.manager.query(
      `SELECT id, ticket_id AS ticketId, version, due_at AS dueAt FROM sla_timer WHERE state = ?
       ${after ? 'AND due_at >= ? AND (due_at > ? OR id > ?)' : ''} ORDER BY due_at, id LIMIT ${PAGE}`,
      [TimerState.Armed, ...(after ? [after.dueAt, after.dueAt, after.id] : [])],
    );
    return rows.map((r) => ({ id: Number(r.id), ticketId: Number(r.ticketId), version: Number(r.version), dueAt: r.dueAt }));
  }

  /** Fires armed timers due more than `graceMs` ago, a few at a time, soonest first. */
  private fireOverdue(graceMs: number): Promise<number> {
    const firing = this.fireOverdueNow(graceMs).finally(() => {
      if (this.firing === firing) this.firing = null;
    });
    this.firing = firing;
    return firing;
  }

  private async fireOverdueNow(graceMs: number): Promise<number> {
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
      while (!this.task.isStopped && next < overdue.length) {
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
