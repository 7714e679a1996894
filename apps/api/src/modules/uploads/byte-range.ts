import type { ByteRange } from '../../infra/storage/object-storage';

/**
 * The one range of a `Range: bytes=…` header (`a-b`, `a-`, `-n`), clamped to the file. Audio
 * players (iOS in particular) ask for ranges before they play. Anything else — several ranges,
 * another unit, nothing satisfiable — gives null and the whole file is sent, which HTTP allows
 * (a server may ignore Range).
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | null {
  const m = header ? /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '') || size === 0) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 ? null : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start <= end ? { start, end } : null;
}
