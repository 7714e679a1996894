import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, CONFIG } from '../../config/config';
import { EscalationLevel, FireTimerPayload, QueueName, SlaJobName } from '@qihu/contracts';
import { Queue } from 'bullmq';
import { In, LessThanOrEqual } from 'typeorm';
import { WriteBatch } from '../../infra/database/write-batch';
import { Clock } from '../../infra/clock';
import { withTimeout } from '../../infra/timeout';
import { TransactionRunner, Tx } from '../../infra/database/transaction';
import { SlaTimer, TimerKind, TimerState } from './sla-timer.entity';

/** What the owner of a timer kind does when it fires, inside the firing transaction. */
export type TimerFiredHandler = (tx: Tx, timer: SlaTimer) => Promise<void>;

export interface TimerInput {
  ticketId: number;
  kind: TimerKind;
  level: EscalationLevel;
  dueAt: Date;
}

export type ArmableTimer = Pick<SlaTimer, 'id' | 'ticketId' | 'version' | 'dueAt'>;

/** Job options of the fire-timer job: retried with backoff, failures kept for inspection. */
export const FIRE_TIMER_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  // Failed jobs stay for inspection, capped so Redis (noeviction) cannot fill up with them.
  removeOnFail: { count: 10_000 },
} as const;

/** Clock difference between processes tolerated when a job fires a little before its due time. */
const EARLY_FIRE_TOLERANCE_MS = 1000;

/** How long arming may hold a request when Redis is slow or away; the reconciler arms later. */
const ARM_TIMEOUT_MS = 2000;

/** Deterministic per arming: the same timer and version always map to the same job (no ':' allowed). */
export function jobIdOf(timer: Pick<SlaTimer, 'id' | 'version'>): string {
  return `t${timer.id}-v${timer.version}`;
}

/**
 * Deadlines: the sla_timer row is the truth, written in the caller's transaction; the
 * BullMQ delayed job is armed after commit and only wakes us up. A timer fires only through
 * a versioned `armed → fired` update, so a late, duplicated or stale job changes nothing.
 */
@Injectable()
export class SlaService {
  private readonly handlers = new Map<TimerKind, TimerFiredHandler>();

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.SlaTimers) private readonly queue: Queue,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** The module that owns a timer kind registers what firing it means. One handler per kind. */
  onFired(kind: TimerKind, handler: TimerFiredHandler): void {
    if (this.handlers.has(kind)) throw new Error(`a handler for timer kind ${kind} is already registered`);
    this.handlers.set(kind, handler);
  }

  /** Writes an armed timer in the caller's transaction and arms its job once that commits. */
  async schedule(tx: Tx, input: TimerInput): Promise<SlaTimer> {
    const [timer] = await this.scheduleMany(tx, [input]);
    return timer;
  }

  /** Writes armed timers in the caller's transaction (one round trip) and arms their jobs after commit. */
  async scheduleMany(tx: Tx, inputs: TimerInput[]): Promise<SlaTimer[]> {
    const batch = new WriteBatch();
    const timers = this.add(tx, batch, inputs);
    await tx.write(batch);
    return timers;
  }

  /**
   * Queues armed timers in the caller's batch, to be written with the rest of its change; their
   * ids are known once the batch has run, and their jobs are armed once the transaction commits.
   */
  add(tx: Tx, batch: WriteBatch, inputs: TimerInput[]): SlaTimer[] {
    if (inputs.length === 0) return [];
    const createdAt = this.clock.now();
    const timers = inputs.map((input) => {
      const timer = Object.assign(new SlaTimer(), { ...input, state: TimerState.Armed, version: 1, createdAt, firedAt: null });
      batch.insert(SlaTimer, timer);
      return timer;
    });
    tx.afterCommit(() => {
      // Failure tests: die exactly between commit and enqueue; the reconciler must arm these.
      if (this.config.faultInjection === 'kill-before-arm') process.kill(process.pid, 'SIGKILL');
      return this.arm(timers);
    });
    return timers;
  }

  /** Cancels the ticket's armed timers of these kinds; a job that still wakes up finds nothing to fire. */
  async cancelArmed(tx: Tx, ticketId: number, kinds: TimerKind | readonly TimerKind[]): Promise<number> {
    const list = Array.isArray(kinds) ? kinds : [kinds as TimerKind];
    if (list.length === 0) return 0;
    const result = await tx.manager.update(
      SlaTimer,
      { ticketId, kind: In(list), state: TimerState.Armed },
      { state: TimerState.Cancelled },
    );
    return result.affected ?? 0;
  }

  /** The latest timer of a kind, whatever its state (the original deadline a return keeps). */
  async latest(tx: Tx, ticketId: number, kind: TimerKind): Promise<SlaTimer | null> {
    return tx.manager.findOne(SlaTimer, { where: { ticketId, kind }, order: { id: 'DESC' } });
  }

  /** Enqueues the alarm clocks. Idempotent: an existing job id is left as it is. */
  async arm(timers: ArmableTimer[]): Promise<void> {
    if (timers.length === 0) return;
    const now = this.clock.now().getTime();
    const jobs = timers.map((t) => ({
      name: SlaJobName.FireTimer,
      data: { timerId: t.id, ticketId: t.ticketId, version: t.version } satisfies FireTimerPayload,
      opts: { ...FIRE_TIMER_JOB_OPTIONS, jobId: jobIdOf(t), delay: Math.max(0, t.dueAt.getTime() - now) },
    }));
    await withTimeout(this.queue.addBulk(jobs), ARM_TIMEOUT_MS, `arming timed out after ${ARM_TIMEOUT_MS} ms`);
  }

  /**
   * Fires one timer if it is still armed at this version, applying its consequence in the
   * same transaction. Returns false when someone got there first (acknowledged, cancelled,
   * fired by another worker or by the reconciler).
   */
  async fire(payload: FireTimerPayload): Promise<boolean> {
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      // Never before its time: a job that outlived its database (ids are reused) or a clock
      // running ahead must not fire a deadline early. The reconciler fires it once it is due.
      const claimed = await tx.manager.update(
        SlaTimer,
        {
          id: payload.timerId,
          state: TimerState.Armed,
          version: payload.version,
          dueAt: LessThanOrEqual(new Date(now.getTime() + EARLY_FIRE_TOLERANCE_MS)),
        },
        { state: TimerState.Fired, firedAt: now },
      );
      if (!claimed.affected) return false;
      const timer = await tx.manager.findOneByOrFail(SlaTimer, { id: payload.timerId });
      const handler = this.handlers.get(timer.kind);
      if (!handler) throw new Error(`no handler registered for timer kind ${timer.kind}`);
      await handler(tx, timer);
      return true;
    });
  }
}
