import fc from 'fast-check';
import { EscalationLevel } from '@qihu/contracts';
import { ChineseDayKind } from '../../sla/chinese-days';
import { HOUR_MS, Interval, shanghaiTime as sh } from '../../time';
import { dutyCoverage, levelCoverage, roundTheClockCoverage } from '../coverage';
import { DutyShift, isOnDuty } from '../roster';

const scope = { kind: 'grid' as const, gridCode: '330206001001007' };
const shift = (personId: string, start: number, end: number, level: EscalationLevel = 0): DutyShift => ({ personId, scope, level, start, end });

describe('duty coverage', () => {
  const window = { start: sh('2026-03-02'), end: sh('2026-03-03') };

  it('finds gaps and overlaps per level', () => {
    const shifts = [
      shift('a', sh('2026-03-01', '20:00'), sh('2026-03-02', '09:00')),
      shift('b', sh('2026-03-02', '08:00'), sh('2026-03-02', '18:00')),
      shift('c', sh('2026-03-02', '17:00'), sh('2026-03-02', '20:00')),
      shift('l', sh('2026-03-02', '00:00'), sh('2026-03-03', '00:00'), 1),
    ];
    const [l0, l1, l2] = dutyCoverage(shifts, window);
    expect(l0.gaps).toEqual([{ start: sh('2026-03-02', '20:00'), end: sh('2026-03-03') }]);
    expect(l0.overlaps).toEqual([
      { start: sh('2026-03-02', '08:00'), end: sh('2026-03-02', '09:00'), personIds: ['a', 'b'] },
      { start: sh('2026-03-02', '17:00'), end: sh('2026-03-02', '18:00'), personIds: ['b', 'c'] },
    ]);
    expect(l0.coveredMs).toBe(20 * HOUR_MS);
    expect(l0.fullyCovered).toBe(false);
    expect(l1).toMatchObject({ gaps: [], overlaps: [], fullyCovered: true, coveredMs: 24 * HOUR_MS });
    expect(l2).toMatchObject({ gaps: [window], coveredMs: 0 });
  });

  it('merges an overlap that continues with the same people, and ignores empty shifts', () => {
    const shifts = [
      shift('a', window.start, window.end),
      shift('b', window.start, sh('2026-03-02', '12:00')),
      shift('b', sh('2026-03-02', '12:00'), sh('2026-03-02', '14:00')),
      shift('c', sh('2026-03-02', '14:00'), sh('2026-03-02', '14:00')),
    ];
    expect(levelCoverage(shifts, 0, window).overlaps).toEqual([{ start: window.start, end: sh('2026-03-02', '14:00'), personIds: ['a', 'b'] }]);
  });

  it('tells on which weekend and holiday days 24-hour duty breaks', () => {
    // Weekday-only day shifts over the Spring Festival fortnight of 2026.
    const shifts: DutyShift[] = [];
    for (const date of ['2026-02-13', '2026-02-14', '2026-02-24']) shifts.push(shift('m', sh(date, '00:00'), sh(date, '24:00')));
    const report = roundTheClockCoverage(shifts, 0, { start: sh('2026-02-13'), end: sh('2026-02-25') });
    expect(report.holds).toBe(false);
    expect(report.uncoveredDays.map((d) => [d.date, d.kind])).toEqual([
      ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => [`2026-02-${d}`, ChineseDayKind.PublicHoliday]),
    ]);
    expect(report.uncoveredDays.every((d) => d.uncoveredMs === 24 * HOUR_MS)).toBe(true);
    const allDay = [shift('x', sh('2026-02-13'), sh('2026-03-02'))];
    expect(roundTheClockCoverage(allDay, 0, { start: sh('2026-02-13'), end: sh('2026-03-02') })).toEqual({ holds: true, uncoveredDays: [] });
    const partial = roundTheClockCoverage([shift('y', sh('2026-03-01', '08:00'), sh('2026-03-02'))], 0, { start: sh('2026-03-01'), end: sh('2026-03-02') });
    expect(partial.uncoveredDays).toEqual([{ date: '2026-03-01', kind: ChineseDayKind.Weekend, uncoveredMs: 8 * HOUR_MS }]);
  });
});

describe('coverage laws', () => {
  const t0 = sh('2026-03-01');
  const span = 7 * 24 * HOUR_MS;
  const shiftArb = fc
    .tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: -span / 7, max: span }), fc.integer({ min: 0, max: span / 2 }))
    .map(([p, s, len]) => shift(p, t0 + s, t0 + s + len));
  const windowArb = fc
    .tuple(fc.integer({ min: 0, max: span / 2 }), fc.integer({ min: 1, max: span / 2 }))
    .map(([s, len]): Interval => ({ start: t0 + s, end: t0 + s + len }));

  it('gaps plus covered time make the window exactly, and no gap has anyone on duty', () => {
    fc.assert(
      fc.property(fc.array(shiftArb, { maxLength: 12 }), windowArb, (shifts, window) => {
        const cov = levelCoverage(shifts, 0, window);
        const gapMs = cov.gaps.reduce((sum, g) => sum + (g.end - g.start), 0);
        expect(gapMs + cov.coveredMs).toBe(window.end - window.start);
        for (const g of cov.gaps) {
          expect(g.start).toBeGreaterThanOrEqual(window.start);
          expect(g.end).toBeLessThanOrEqual(window.end);
          // An empty shift (start = end) puts nobody on duty, so it may sit inside a gap.
          for (const s of shifts.filter((x) => x.end > x.start)) expect(s.end <= g.start || s.start >= g.end).toBe(true);
        }
        for (let i = 1; i < cov.gaps.length; i++) expect(cov.gaps[i].start).toBeGreaterThan(cov.gaps[i - 1].end);
        for (const o of cov.overlaps) {
          const mid = Math.floor((o.start + o.end) / 2);
          expect(new Set(shifts.filter((s) => isOnDuty(s, mid)).map((s) => s.personId))).toEqual(new Set(o.personIds));
        }
      }),
    );
  });
});
