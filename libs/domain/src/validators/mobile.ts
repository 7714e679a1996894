/**
 * Mainland Chinese mobile numbers: 11 digits starting 1, second digit 3–9 (all current carrier
 * and virtual-operator segments). Accepted input forms: spaces and hyphens between digits, and an
 * optional +86 / 0086 / 86 country prefix. Normalised to the bare 11 digits.
 */
const MOBILE = /^1[3-9]\d{9}$/;
const PREFIX = /^(?:\+86|0086|86)(?=1\d{10}$)/;

/** The normalised 11-digit number, or null if the input is not a mainland mobile number. */
export function normalizeChineseMobile(input: string): string | null {
  const digits = input.trim().replace(/[\s-]/g, '').replace(PREFIX, '');
  return MOBILE.test(digits) ? digits : null;
}

export function isValidChineseMobile(input: string): boolean {
  return normalizeChineseMobile(input) !== null;
}

/** 138****5678: for showing a number to someone who should not see it in full. */
export function maskChineseMobile(mobile: string): string {
  const n = normalizeChineseMobile(mobile);
  if (n === null) throw new RangeError('not a mainland mobile number');
  return `${n.slice(0, 3)}****${n.slice(7)}`;
}
