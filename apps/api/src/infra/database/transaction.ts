import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { WriteBatch } from './write-batch';

/**
 * One unit of work: the entity manager of an open transaction, plus work to do once it
 * has committed (arming queue jobs, for instance). After-commit work must be safe to lose:
 * the reconciler repairs whatever a crash between commit and that work leaves behind.
 */
export interface Tx {
  readonly manager: EntityManager;
  afterCommit(work: () => Promise<unknown>): void;
  /**
   * Rows (and updates) of the change that go out together: before the transaction's next
   * statement, or with its COMMIT. Order is kept, so a later read sees them; their generated
   * ids are known once they have gone out (after `flush()`, or after commit).
   */
  readonly pending: WriteBatch;
  /** Sends the pending rows now, for a step that needs their ids before the change goes on. */
  flush(): Promise<void>;
}

/** InnoDB deadlock and lock-wait timeout: the whole transaction may simply be run again. */
const RETRYABLE_ERRNO = new Set([1213, 1205]);
const MAX_ATTEMPTS = 3;

/** What TypeORM's query runner has that its interface marks read-only. */
type WritableRunner = QueryRunner & { isTransactionActive: boolean };
type SendQuery = (query: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;

/**
 * A transaction whose START goes out with its first statement and whose COMMIT carries its
 * last rows, and whose rows go out in batches: an intake or an escalation is a handful of round
 * trips instead of a dozen (each costs the API and the database more than the work in it).
 *
 * TypeORM would send START TRANSACTION and COMMIT on their own. Instead the runner is marked
 * as in a transaction (so TypeORM's save() does not open one of its own) and its query() —
 * everything TypeORM does goes through it — first sends whatever is pending, with START if
 * nothing has gone out yet.
 */
class LazyTransaction {
  readonly pending = new WriteBatch();
  private begun = false;
  private readonly send: SendQuery;
  /** Statements of one transaction go out one after the other, even when the work runs reads in parallel. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly runner: WritableRunner) {
    this.send = runner.query.bind(runner) as SendQuery;
    runner.isTransactionActive = true;
    runner.query = ((query: string, parameters?: unknown[], structured?: boolean) =>
      this.inTurn(async () => {
        if (!(await this.sendPending(false)) && !this.begun) {
          await this.send('START TRANSACTION');
          this.begun = true;
        }
        return this.send(query, parameters, structured);
      })) as QueryRunner['query'];
  }

  get manager(): EntityManager {
    return this.runner.manager;
  }

  flush(): Promise<void> {
    return this.inTurn(async () => {
      await this.sendPending(false);
    });
  }

  commit(): Promise<void> {
    return this.inTurn(async () => {
      if (!(await this.sendPending(true)) && this.begun) await this.send('COMMIT');
    });
  }

  rollback(): Promise<void> {
    return this.inTurn(async () => {
      if (this.begun) await this.send('ROLLBACK');
    });
  }

  /** Ends the transaction's hold on the runner, so it can go back to the pool. */
  close(): void {
    this.runner.isTransactionActive = false;
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(work, work);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** The pending rows, with START before them if nothing went out yet and COMMIT after them if asked. False when none. */
  private async sendPending(commit: boolean): Promise<boolean> {
    const query = this.pending.take(this.runner.manager);
    if (!query) return false;
    const start = this.begun ? 0 : 1;
    const sql = `${start ? 'START TRANSACTION;\n' : ''}${query.sql}${commit ? ';\nCOMMIT' : ''}`;
    const count = start + query.count + (commit ? 1 : 0);
    this.begun = true;
    const raw = await this.send(sql, query.params);
    const results = count === 1 ? [raw] : (raw as unknown[]);
    query.settle(results.slice(start, start + query.count));
    return true;
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
      // Independent of each other (arming timers, adding send jobs, telling other processes): at once.
      await Promise.all(
        pending.map((w) => w().catch((err: unknown) => this.logger.warn({ err }, 'after-commit work failed; the reconciler will repair it'))),
      );
      return result;
    }
  }

  /** A change that is nothing but its batch: a transaction in one round trip (START, the rows, COMMIT). */
  async runBatch(batch: WriteBatch): Promise<void> {
    await this.run(async (tx) => tx.pending.absorb(batch));
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
          pending: transaction.pending,
          flush: () => transaction.flush(),
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
