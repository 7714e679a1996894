import { shanghaiMinute } from '../notify/templates';

/**
 * A new price given as starting up to this long ago starts now: a phone's clock runs a little
 * behind. Anything earlier is refused, since bills already priced in between would disagree.
 */
export const BACKDATE_TOLERANCE_MS = 5 * 60_000;

/** Upper bounds the DTOs enforce: ¥1,000,000.00 per unit, ten years of warranty, a million in stock. */
export const MAX_PRICE_FEN = 100_000_000;
export const MAX_WARRANTY_DAYS = 3650;
export const MAX_STOCK_QUANTITY = 1_000_000;

export interface ValidityWindow {
  validFrom: Date;
  validTo: Date | null;
}

/**
 * When a new price version starts: `requested` (default now), never in the past and strictly
 * after the latest version's start, so the versions stay one unbroken chain and no instant that
 * may already have been billed changes price. Answers the start, or why it is refused (Chinese).
 */
export function priceChangeStart(requested: Date | undefined, now: Date, latestStart: Date | null): { validFrom: Date } | { refused: string } {
  const asked = requested ?? now;
  if (asked.getTime() < now.getTime() - BACKDATE_TOLERANCE_MS) {
    return { refused: '新价格的生效时间不能早于现在：已开出的账单按当时的价格计，价格不能追溯修改' };
  }
  const validFrom = asked.getTime() < now.getTime() ? now : asked;
  if (latestStart && validFrom.getTime() <= latestStart.getTime()) {
    return { refused: `新价格须晚于最近一次价格的生效时间（${minuteLabel(latestStart)}）生效` };
  }
  return { validFrom };
}

/** The version in force at an instant: validFrom ≤ at < validTo. */
export function versionAt<V extends ValidityWindow>(versions: readonly V[], at: Date): V | null {
  const t = at.getTime();
  return versions.find((v) => v.validFrom.getTime() <= t && (v.validTo === null || t < v.validTo.getTime())) ?? null;
}

/** The version in force now and the one set to start later (if any). */
export function currentAndUpcoming<V extends ValidityWindow>(versions: readonly V[], now: Date): { current: V | null; upcoming: V | null } {
  const t = now.getTime();
  const upcoming = versions.filter((v) => v.validFrom.getTime() > t).sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime())[0] ?? null;
  return { current: versionAt(versions, now), upcoming };
}

/** A part becomes low when its stock falls to or below the threshold from above it: alert once per crossing. */
export function crossesLowThreshold(before: number, after: number, threshold: number): boolean {
  return before > threshold && after <= threshold;
}

/** 'YYYY-MM-DD HH:mm', Asia/Shanghai. */
export function minuteLabel(at: Date): string {
  return shanghaiMinute(at.toISOString(), at);
}
