const pad = (n: number) => String(n).padStart(2, '0')

/** An ISO time as the phone's local 11-23 10:15 (this year) or 2025-11-23 10:15. */
export function formatTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso)
  const day = `${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`
  return at.getFullYear() === now.getFullYear() ? day : `${at.getFullYear()}-${day}`
}

/** Money is integer fen (分) everywhere; people read yuan with two decimals: 12800 → "128.00". */
export function formatYuan(fen: number): string {
  return (fen / 100).toFixed(2)
}
