import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../infra/database/transaction';

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // Asia/Shanghai has no DST

/** How many numbers a process reserves at once. */
export const NUMBER_BLOCK = 50;

/** The calendar day of an instant in Asia/Shanghai, as yyyymmdd. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

export function formatTicketNumber(day: string, seq: number): string {
  return `QH${day}-${String(seq).padStart(4, '0')}`;
}

/**
 * Human-readable ticket numbers per day, e.g. QH20261123-0007, unique across processes.
 *
 * Why blocks: a counter row updated inside every intake transaction holds its lock until
 * commit, so all intake in the community queues behind one fsync at a time (measured here:
 * ~40 tickets/s). Each process instead reserves NUMBER_BLOCK numbers in a short transaction of
 * its own and hands them out from memory (hi/lo). Numbers stay unique; a restart or a failed
 * intake can leave gaps, and two processes interleave blocks.
 */
@Injectable()
export class TicketNumberAllocator {
  private block: { day: string; next: number; last: number } | null = null;
  private refill: Promise<void> | null = null;

  constructor(private readonly transactions: TransactionRunner) {}

  async next(at: Date): Promise<string> {
    const day = shanghaiDay(at);
    for (;;) {
      const b = this.block;
      if (b && b.day === day && b.next <= b.last) return formatTicketNumber(day, b.next++);
      // One refill at a time; everyone waiting retries against the new block.
      this.refill ??= this.reserve(day).finally(() => {
        this.refill = null;
      });
      await this.refill;
    }
  }

  private async reserve(day: string): Promise<void> {
    const last = await this.transactions.run(async ({ manager }) => {
      await manager.query(
        'INSERT INTO ticket_counter (day, seq) VALUES (?, ?) ON DUPLICATE KEY UPDATE seq = seq + ?',
        [day, NUMBER_BLOCK, NUMBER_BLOCK],
      );
      const [row] = await manager.query('SELECT seq FROM ticket_counter WHERE day = ?', [day]);
      return Number(row.seq);
    });
    this.block = { day, next: last - NUMBER_BLOCK + 1, last };
  }
}
