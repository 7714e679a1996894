import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, CONFIG } from '../../config/config';
import { EscalationLevel, FireTimerPayload, QueueName, SlaJobName } from '@qihu/contracts';
import { Queue } from 'bullmq';
import { columnsOf, hydrate } from '../../infra/database/raw-rows';
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

  /** Writes an armed timer with the caller's change and arms its job once that commits. */
  schedule(tx: Tx, input: TimerInput): SlaTimer {
    const [timer] = this.scheduleMany(tx, [input]);
    return timer;
  }

  /**
   * Queues armed timers with the caller's pending rows; their ids are known once those have
   * gone out, and their jobs are armed once the transaction commits.
   */
  scheduleMany(tx: Tx, inputs: TimerInput[]): SlaTimer[] {
    if (inputs.length === 0) return [];
    const createdAt = this.clock.now();
    const timers = inputs.map((input) => {
      const timer = Object.assign(new SlaTimer(), { ...input, state: TimerState.Armed, version: 1, createdAt, firedAt: null });
      tx.pending.insert(SlaTimer, timer);
      return timer;
    });
    tx.afterCommit(() => {
      // Failure tests: die exactly between commit and enqueue; the reconciler must arm these.
      if (this.config.faultInjection === 'kill-before-arm') process.kill(process.pid, 'SIGKILL');
      return this.arm(timers);
    });
    return timers;
  }

  /**
   * Cancels the ticket's armed timers of these kinds with the caller's pending rows (before the
   * ticket row is locked: the firing lock order); a job that still wakes up finds nothing to fire.
   */
  cancelArmed(tx: Tx, ticketId: number, kinds: TimerKind | readonly TimerKind[]): void {
    const list = Array.isArray(kinds) ? kinds : [kinds as TimerKind];
    if (list.length === 0) return;
    tx.pending.execute(`UPDATE sla_timer SET state = ? WHERE ticket_id = ? AND kind IN (${list.map(() => '?').join(', ')}) AND state = ?`, [
      TimerState.Cancelled,
      ticketId,
      ...list,
      TimerState.Armed,
    ]);
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
      const claimed = tx.pending.execute(
        'UPDATE sla_timer SET state = ?, fired_at = ? WHERE id = ? AND state = ? AND version = ? AND due_at <= ?',
        [TimerState.Fired, now, payload.timerId, TimerState.Armed, payload.version, new Date(now.getTime() + EARLY_FIRE_TOLERANCE_MS)],
      );
      const read = tx.pending.select<Record<string, unknown>>(`SELECT ${columnsOf(tx.manager, SlaTimer, 't')} FROM sla_timer t WHERE t.id = ?`, [payload.timerId]);
      await tx.flush();
      if (!claimed.affectedRows) return false;
      const timer = hydrate(tx.manager, SlaTimer, 't', read.rows[0]);
      const handler = this.handlers.get(timer.kind);
      if (!handler) throw new Error(`no handler registered for timer kind ${timer.kind}`);
      await handler(tx, timer);
      return true;
    });
  }
}
