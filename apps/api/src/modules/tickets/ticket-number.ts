import { EntityManager } from 'typeorm';

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // Asia/Shanghai has no DST

/** The calendar day of an instant in Asia/Shanghai, as yyyymmdd. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

export function formatTicketNumber(day: string, seq: number): string {
  return `QH${day}-${String(seq).padStart(4, '0')}`;
}

/**
 * Next human-readable number of the day, e.g. QH20261123-0007. The upsert locks the day's
 * counter row until the caller's transaction ends, so numbers are gapless and unique.
 */
export async function nextTicketNumber(manager: EntityManager, at: Date): Promise<string> {
  const day = shanghaiDay(at);
  await manager.query(
    'INSERT INTO ticket_counter (day, seq) VALUES (?, 1) ON DUPLICATE KEY UPDATE seq = seq + 1',
    [day],
  );
  const [row] = await manager.query('SELECT seq FROM ticket_counter WHERE day = ?', [day]);
  return formatTicketNumber(day, Number(row.seq));
}
