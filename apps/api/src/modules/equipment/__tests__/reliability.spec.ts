import { DAY_MS, HOUR_MS } from '@qihu/domain';
import fc from 'fast-check';
import { FaultTimes, reliabilityOf } from '../reliability';

const t0 = Date.parse('2026-03-01T00:00:00.000Z');
const fault = (reportedAt: number, repairMs: number | null): FaultTimes => ({
  createdAt: new Date(reportedAt),
  resolvedAt: repairMs === null ? null : new Date(reportedAt + repairMs),
});

describe('reliabilityOf', () => {
  it('has neither MTBF nor MTTR without faults', () => {
    expect(reliabilityOf([])).toEqual({ faultCount: 0, resolvedCount: 0, mtbfMs: null, mttrMs: null });
  });

  it('needs two faults for an MTBF, and a resolved one for an MTTR', () => {
    expect(reliabilityOf([fault(t0, null)])).toEqual({ faultCount: 1, resolvedCount: 0, mtbfMs: null, mttrMs: null });
    expect(reliabilityOf([fault(t0, 2 * HOUR_MS)])).toEqual({ faultCount: 1, resolvedCount: 1, mtbfMs: null, mttrMs: 2 * HOUR_MS });
  });

  it('averages the gaps between reports and the repair times of the resolved faults only', () => {
    // Reported on days 0, 4 and 10: gaps of 4 and 6 days, MTBF 5 days. Repairs of 1 h and 3 h; the third is still open.
    const faults = [fault(t0, HOUR_MS), fault(t0 + 4 * DAY_MS, 3 * HOUR_MS), fault(t0 + 10 * DAY_MS, null)];
    expect(reliabilityOf(faults)).toEqual({ faultCount: 3, resolvedCount: 2, mtbfMs: 5 * DAY_MS, mttrMs: 2 * HOUR_MS });
  });

  it('rounds to whole milliseconds', () => {
    expect(reliabilityOf([fault(t0, 1), fault(t0 + 1, 2), fault(t0 + 2, 2)])).toMatchObject({ mtbfMs: 1, mttrMs: 2 });
    expect(reliabilityOf([fault(t0, null), fault(t0 + 10, null), fault(t0 + 11, null)]).mtbfMs).toBe(6);
  });

  it('is the mean of the consecutive gaps in any order, and an MTTR within the shortest and longest repair', () => {
    const faults = fc.array(fc.record({ at: fc.integer({ min: 0, max: 365 * DAY_MS }), repair: fc.option(fc.integer({ min: 0, max: 30 * DAY_MS })) }), { minLength: 2, maxLength: 40 });
    fc.assert(
      fc.property(faults, (drawn) => {
        const input = drawn.map((d) => fault(t0 + d.at, d.repair));
        const result = reliabilityOf(input);
        const sorted = drawn.map((d) => d.at).sort((a, b) => a - b);
        const gaps = sorted.slice(1).map((at, i) => at - sorted[i]);
        expect(result.mtbfMs).toBe(Math.round(gaps.reduce((s, g) => s + g, 0) / gaps.length));
        expect(reliabilityOf([...input].reverse())).toEqual(result);
        const repairs = drawn.map((d) => d.repair).filter((r): r is number => r !== null);
        expect(result.resolvedCount).toBe(repairs.length);
        if (repairs.length === 0) expect(result.mttrMs).toBeNull();
        else {
          expect(result.mttrMs).toBeGreaterThanOrEqual(Math.min(...repairs));
          expect(result.mttrMs).toBeLessThanOrEqual(Math.max(...repairs));
        }
      }),
    );
  });
});
