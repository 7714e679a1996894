import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { BatchQuery, WriteBatch } from './write-batch';

/**
 * One unit of work: the entity manager of an open transaction, plus work to do once it
 * has committed (arming queue jobs, for instance). After-commit work must be safe to lose:
 * the reconciler repairs whatever a crash between commit and that work leaves behind.
 */
export interface Tx {
  readonly manager: EntityManager;
  afterCommit(work: () => Promise<unknown>): void;
  /** Runs the batch in this transaction now, in one round trip (its ids are known after). */
  write(batch: WriteBatch): Promise<void>;
  /**
   * Sends the batch with COMMIT, in the same round trip: for the last rows of a change, which
   * nothing in the change reads back. Its ids are known once the transaction has committed.
   */
  writeAtCommit(batch: WriteBatch): void;
}

/** InnoDB deadlock and lock-wait timeout: the whole transaction may simply be run again. */
const RETRYABLE_ERRNO = new Set([1213, 1205]);
const MAX_ATTEMPTS = 3;

/** What TypeORM's query runner has that its interface marks read-only. */
type WritableRunner = QueryRunner & { isTransactionActive: boolean };

/**
 * A transaction whose START goes out with its first statement and whose COMMIT carries its
 * last rows: an intake or an escalation is a handful of round trips instead of a dozen.
 *
 * TypeORM would send START TRANSACTION and COMMIT on their own. Instead the runner is marked
 * as in a transaction (so TypeORM's save() does not open one of its own) and its query()
 * sends START first if nothing has yet. Everything TypeORM does goes through that query().
 */
class LazyTransaction {
  private begun = false;
  private readonly original: QueryRunner['query'];
  private readonly atCommit: WriteBatch[] = [];

  constructor(private readonly runner: WritableRunner) {
    this.original = runner.query.bind(runner);
    runner.isTransactionActive = true;
    const send = this.original as (query: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
    runner.query = (async (query: string, parameters?: unknown[], structured?: boolean) => {
      if (!this.begun) {
        await send('START TRANSACTION');
        this.begun = true;
      }
      return send(query, parameters, structured);
    }) as QueryRunner['query'];
  }

  get manager(): EntityManager {
    return this.runner.manager;
  }

  async write(batch: WriteBatch): Promise<void> {
    const query = batch.take(this.runner.manager);
    if (query) await this.send(query, false);
  }

  writeAtCommit(batch: WriteBatch): void {
    this.atCommit.push(batch);
  }

  async commit(): Promise<void> {
    const last = new WriteBatch();
    for (const b of this.atCommit.splice(0)) last.absorb(b);
    const query = last.take(this.runner.manager);
    if (query) await this.send(query, true);
    else if (this.begun) await this.original('COMMIT');
  }

  async rollback(): Promise<void> {
    if (this.begun) await this.original('ROLLBACK');
  }

  /** Ends the transaction's hold on the runner, so it can go back to the pool. */
  close(): void {
    this.runner.isTransactionActive = false;
  }

  /** The batch, with START before it if the transaction has not begun and COMMIT after it if asked. */
  private async send(query: BatchQuery, commit: boolean): Promise<void> {
    const start = this.begun ? 0 : 1;
    const sql = `${start ? 'START TRANSACTION;\n' : ''}${query.sql}${commit ? ';\nCOMMIT' : ''}`;
    const count = start + query.count + (commit ? 1 : 0);
    this.begun = true;
    const raw = await this.original(sql, query.params);
    const results: unknown[] = count === 1 ? [raw] : raw;
    query.settle(results.slice(start, start + query.count));
  }
}

@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);

  /** Pool connections already switched to READ COMMITTED for their whole session. */
  private readonly readCommitted = new WeakSet<object>();

  constructor(private readonly dataSource: DataSource) {}

  /** For reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * READ COMMITTED: row locks only, no gap locks, so concurrent acknowledgements, firings
   * and new timers on one ticket do not deadlock on index gaps. It is set once per pooled
   * connection for its session rather than before every transaction: one round trip fewer on
   * every write, which the intake and the timers feel.
   */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const pending: Array<() => Promise<unknown>> = [];
      let result: T;
      try {
        result = await this.inTransaction(work, pending);
      } catch (err) {
        const errno = (err as { errno?: number }).errno;
        if (attempt < MAX_ATTEMPTS && errno !== undefined && RETRYABLE_ERRNO.has(errno)) {
          this.logger.warn({ errno, attempt }, 'transaction retried after a lock conflict');
          continue;
        }
        throw err;
      }
      for (const w of pending) {
        try {
          await w();
        } catch (err) {
          this.logger.warn({ err }, 'after-commit work failed; the reconciler will repair it');
        }
      }
      return result;
    }
  }

  /** A change that is nothing but its batch: a transaction in one round trip (START, the rows, COMMIT). */
  async runBatch(batch: WriteBatch): Promise<void> {
    await this.run(async (tx) => tx.writeAtCommit(batch));
  }

  private async inTransaction<T>(work: (tx: Tx) => Promise<T>, pending: Array<() => Promise<unknown>>): Promise<T> {
    const runner = this.dataSource.createQueryRunner() as WritableRunner;
    try {
      await this.readCommittedSession(runner);
      const transaction = new LazyTransaction(runner);
      try {
        const result = await work({
          manager: transaction.manager,
          afterCommit: (w) => pending.push(w),
          write: (batch) => transaction.write(batch),
          writeAtCommit: (batch) => transaction.writeAtCommit(batch),
        });
        await transaction.commit();
        return result;
      } catch (err) {
        // The original error is the one that matters; a connection too broken to roll back is dropped on release.
        await transaction.rollback().catch(() => undefined);
        throw err;
      } finally {
        transaction.close();
      }
    } finally {
      await runner.release();
    }
  }

  private async readCommittedSession(runner: QueryRunner): Promise<void> {
    const connection = (await runner.connect()) as object;
    if (this.readCommitted.has(connection)) return;
    await runner.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    this.readCommitted.add(connection);
  }
}
