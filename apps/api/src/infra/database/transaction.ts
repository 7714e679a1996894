import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * One unit of work: the entity manager of an open transaction, plus work to do once it
 * has committed (arming queue jobs, for instance). After-commit work must be safe to lose:
 * the reconciler repairs whatever a crash between commit and that work leaves behind.
 */
export interface Tx {
  readonly manager: EntityManager;
  afterCommit(work: () => Promise<unknown>): void;
}

/** InnoDB deadlock and lock-wait timeout: the whole transaction may simply be run again. */
const RETRYABLE_ERRNO = new Set([1213, 1205]);
const MAX_ATTEMPTS = 3;

@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);

  constructor(private readonly dataSource: DataSource) {}

  /** For reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * READ COMMITTED: row locks only, no gap locks, so concurrent acknowledgements, firings
   * and new timers on one ticket do not deadlock on index gaps.
   */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const pending: Array<() => Promise<unknown>> = [];
      let result: T;
      try {
        result = await this.dataSource.transaction('READ COMMITTED', (manager) =>
          work({ manager, afterCommit: (w) => pending.push(w) }),
        );
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
}
