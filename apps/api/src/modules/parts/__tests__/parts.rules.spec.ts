import fc from 'fast-check';
import { BACKDATE_TOLERANCE_MS, crossesLowThreshold, currentAndUpcoming, priceChangeStart, versionAt } from '../parts.rules';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-05-01T00:00:00.000Z');

describe('priceChangeStart', () => {
  it('starts now when no start is asked for', () => {
    expect(priceChangeStart(undefined, NOW, at('2026-01-01T00:00:00Z'))).toEqual({ validFrom: NOW });
  });

  it('keeps a future start', () => {
    const later = at('2026-06-01T00:00:00Z');
    expect(priceChangeStart(later, NOW, at('2026-01-01T00:00:00Z'))).toEqual({ validFrom: later });
  });

  it('counts a start a little in the past (a slow phone clock) as now', () => {
    expect(priceChangeStart(new Date(NOW.getTime() - BACKDATE_TOLERANCE_MS), NOW, null)).toEqual({ validFrom: NOW });
  });

  it('refuses a start further in the past: billed instants keep their price', () => {
    const result = priceChangeStart(new Date(NOW.getTime() - BACKDATE_TOLERANCE_MS - 1), NOW, null);
    expect(result).toEqual({ refused: expect.stringContaining('不能早于现在') });
  });

  it('refuses a start not after the latest version’s start (a future version already set)', () => {
    const latest = at('2026-06-01T00:00:00Z');
    expect(priceChangeStart(undefined, NOW, latest)).toEqual({ refused: expect.stringContaining('2026-06-01 08:00') });
    expect(priceChangeStart(latest, NOW, latest)).toHaveProperty('refused');
    expect(priceChangeStart(at('2026-06-01T00:00:00.001Z'), NOW, latest)).toEqual({ validFrom: at('2026-06-01T00:00:00.001Z') });
  });
});

describe('versionAt and currentAndUpcoming', () => {
  const v1 = { id: 1, validFrom: at('2026-01-01T00:00:00Z'), validTo: at('2026-03-01T00:00:00Z') };
  const v2 = { id: 2, validFrom: at('2026-03-01T00:00:00Z'), validTo: at('2026-06-01T00:00:00Z') };
  const v3 = { id: 3, validFrom: at('2026-06-01T00:00:00Z'), validTo: null };
  const chain = [v3, v2, v1];

  it('picks the version whose [validFrom, validTo) holds the instant', () => {
    expect(versionAt(chain, at('2025-12-31T23:59:59.999Z'))).toBeNull();
    expect(versionAt(chain, v1.validFrom)).toBe(v1);
    expect(versionAt(chain, at('2026-02-28T23:59:59.999Z'))).toBe(v1);
    expect(versionAt(chain, v2.validFrom)).toBe(v2);
    expect(versionAt(chain, at('2030-01-01T00:00:00Z'))).toBe(v3);
  });

  it('answers the version in force now and the next one already set', () => {
    expect(currentAndUpcoming(chain, NOW)).toEqual({ current: v2, upcoming: v3 });
    expect(currentAndUpcoming(chain, at('2026-07-01T00:00:00Z'))).toEqual({ current: v3, upcoming: null });
    expect(currentAndUpcoming([v3], NOW)).toEqual({ current: null, upcoming: v3 });
  });

  it('finds exactly one version for any instant after the first start of an unbroken chain', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 8 }), fc.nat(100_000_000), (gaps, offset) => {
        const starts = gaps.reduce<number[]>((acc, g) => [...acc, (acc.at(-1) ?? 0) + g], []);
        const versions = starts.map((s, i) => ({ id: i, validFrom: new Date(s), validTo: i + 1 < starts.length ? new Date(starts[i + 1]) : null }));
        const instant = new Date(starts[0] + offset);
        const holding = versions.filter((v) => v.validFrom <= instant && (v.validTo === null || instant < v.validTo));
        expect(holding).toHaveLength(1);
        expect(versionAt(versions, instant)).toBe(holding[0]);
      }),
    );
  });
});

describe('crossesLowThreshold', () => {
  it('alerts once, when the stock falls to or below the threshold from above it', () => {
    expect(crossesLowThreshold(4, 3, 3)).toBe(true);
    expect(crossesLowThreshold(10, 0, 3)).toBe(true);
    expect(crossesLowThreshold(3, 2, 3)).toBe(false);
    expect(crossesLowThreshold(5, 4, 3)).toBe(false);
    expect(crossesLowThreshold(2, 5, 3)).toBe(false);
  });

  it('with threshold 0, alerts when the last unit goes', () => {
    expect(crossesLowThreshold(1, 0, 0)).toBe(true);
  });
});
