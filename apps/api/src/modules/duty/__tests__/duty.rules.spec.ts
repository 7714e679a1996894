import { DutyAlertResolution, DutyScopeKind, EscalationLevel } from '@qihu/contracts';
import { DAY_MS, HOUR_MS, levelCoverage, shanghaiTime as sh } from '@qihu/domain';
import fc from 'fast-check';
import {
  domainScope,
  domainShift,
  dutyLevelLabel,
  occurrencesToMaterialise,
  offHoursShifts,
  reconcileAlerts,
  slotDurationMs,
  slotOccurrences,
  subtractIntervals,
} from '../duty.rules';

// 2026-03-02 is a Monday.
const slot = (weekday: number, start: string, end: string, personId = 1) => ({ weekday, start, end, personId });

describe('slotDurationMs', () => {
  it('runs to the end time the same day, else the next day; equal times are a whole day', () => {
    expect(slotDurationMs('08:00', '20:00')).toBe(12 * HOUR_MS);
    expect(slotDurationMs('20:00', '08:00')).toBe(12 * HOUR_MS);
    expect(slotDurationMs('00:00', '00:00')).toBe(DAY_MS);
    expect(slotDurationMs('08:00', '08:00')).toBe(DAY_MS);
    expect(slotDurationMs('20:00', '24:00')).toBe(4 * HOUR_MS);
    expect(slotDurationMs('00:00', '24:00')).toBe(DAY_MS);
  });
});

describe('slotOccurrences', () => {
  it('places a night slot crossing midnight on its Shanghai weekday and ends it the next morning', () => {
    const week = { start: sh('2026-03-02'), end: sh('2026-03-09') };
    const found = slotOccurrences([slot(1, '20:00', '08:00')], week);
    expect(found.map(({ start, end }) => ({ start, end }))).toEqual([{ start: sh('2026-03-02', '20:00'), end: sh('2026-03-03', '08:00') }]);
    // Stored in UTC: 20:00 Shanghai is 12:00Z, 08:00 the next morning is 00:00Z.
    expect(new Date(found[0].start).toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(new Date(found[0].end).toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });

  it('reads the weekday in Shanghai, not UTC: Monday 00:00 Shanghai is Sunday 16:00Z', () => {
    const [monday] = slotOccurrences([slot(1, '00:00', '08:00')], { start: sh('2026-03-01'), end: sh('2026-03-03') });
    expect(new Date(monday.start).toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(new Date(monday.start).getUTCDay()).toBe(0);
  });

  it('finds the occurrence that began the day before the window and runs into it', () => {
    const found = slotOccurrences([slot(1, '20:00', '08:00')], { start: sh('2026-03-03', '02:00'), end: sh('2026-03-03', '12:00') });
    expect(found.map((o) => o.start)).toEqual([sh('2026-03-02', '20:00')]);
  });

  it('gives 24-hour cover over any window for a pattern of 7 whole days (property)', () => {
    const allWeek = [1, 2, 3, 4, 5, 6, 7].map((d) => slot(d, '00:00', '00:00'));
    fc.assert(
      fc.property(fc.integer({ min: sh('2026-01-01'), max: sh('2027-12-31') }), fc.integer({ min: 1, max: 30 * DAY_MS }), (start, length) => {
        const window = { start, end: start + length };
        const shifts = slotOccurrences(allWeek, window).map((o) => domainShift({ scopeKind: DutyScopeKind.Grid, scopeId: 1, level: EscalationLevel.GridMember, personId: 1, start: o.start, end: o.end }));
        expect(levelCoverage(shifts, EscalationLevel.GridMember, window).gaps).toEqual([]);
      }),
    );
  });
});

describe('subtractIntervals', () => {
  const base = { start: 0, end: 100 };
  it('splits around a cut inside, trims across an end, drops what is covered', () => {
    expect(subtractIntervals(base, [{ start: 40, end: 60 }])).toEqual([{ start: 0, end: 40 }, { start: 60, end: 100 }]);
    expect(subtractIntervals(base, [{ start: -10, end: 30 }])).toEqual([{ start: 30, end: 100 }]);
    expect(subtractIntervals(base, [{ start: 70, end: 130 }])).toEqual([{ start: 0, end: 70 }]);
    expect(subtractIntervals(base, [{ start: 0, end: 100 }])).toEqual([]);
    expect(subtractIntervals(base, [{ start: 100, end: 120 }])).toEqual([base]);
  });

  it('keeps exactly the instants of the base that no cut covers (property)', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 })).map(([s, l]) => ({ start: s, end: s + l }));
    fc.assert(
      fc.property(interval, fc.array(interval, { maxLength: 5 }), (b, cuts) => {
        const pieces = subtractIntervals(b, cuts);
        for (let t = 0; t < 100; t++) {
          const kept = pieces.some((p) => p.start <= t && t < p.end);
          const expected = b.start <= t && t < b.end && !cuts.some((c) => c.start <= t && t < c.end);
          expect(kept).toBe(expected);
        }
      }),
    );
  });
});

describe('occurrencesToMaterialise', () => {
  const slots = [slot(1, '08:00', '20:00', 1), slot(1, '20:00', '08:00', 2), slot(2, '08:00', '20:00', 3)];
  const monday10 = sh('2026-03-02', '10:00');
  const tuesdayNoon = sh('2026-03-03', '12:00');

  it('fresh: takes the running occurrence from now on, and those starting later', () => {
    const found = occurrencesToMaterialise(slots, monday10, tuesdayNoon, 'fresh', []);
    expect(found.map(({ start, end, slot: s }) => [start, end, s.personId])).toEqual([
      [monday10, sh('2026-03-02', '20:00'), 1],
      [sh('2026-03-02', '20:00'), sh('2026-03-03', '08:00'), 2],
      [sh('2026-03-03', '08:00'), sh('2026-03-03', '20:00'), 3],
    ]);
  });

  it('extend: only occurrences starting at or after where the last run stopped', () => {
    const found = occurrencesToMaterialise(slots, monday10, tuesdayNoon, 'extend', []);
    expect(found.map((o) => o.slot.personId)).toEqual([2, 3]);
  });

  it('cuts out overrides and swaps everywhere, and the kept running shift only from the running occurrence', () => {
    const override = { start: sh('2026-03-02', '22:00'), end: sh('2026-03-03', '02:00') };
    const running = { start: sh('2026-03-02', '08:00'), end: sh('2026-03-02', '21:00') };
    const found = occurrencesToMaterialise(slots, monday10, tuesdayNoon, 'fresh', [override], [running]);
    expect(found.map(({ start, end }) => [start, end])).toEqual([
      [sh('2026-03-02', '20:00'), sh('2026-03-02', '22:00')],
      [sh('2026-03-03', '02:00'), sh('2026-03-03', '08:00')],
      [sh('2026-03-03', '08:00'), sh('2026-03-03', '20:00')],
    ]);
  });
});

describe('reconcileAlerts', () => {
  const now = sh('2026-03-02', '10:00');
  const window = { start: now, end: now + 7 * DAY_MS };
  const gap = { start: sh('2026-03-07', '20:00'), end: sh('2026-03-08', '08:00') };

  it('raises a new gap once; the same gap next run changes nothing', () => {
    expect(reconcileAlerts([], [gap], window)).toEqual({ raise: [gap], update: [], resolve: [] });
    expect(reconcileAlerts([{ id: 1, ...gap }], [gap], window)).toEqual({ raise: [], update: [], resolve: [] });
  });

  it('follows a gap that grows with the window and keeps the start of a gap already running', () => {
    const running = { start: sh('2026-03-02', '06:00'), end: sh('2026-03-02', '12:00') };
    const seenNow = { start: now, end: sh('2026-03-02', '12:00') };
    expect(reconcileAlerts([{ id: 1, ...running }], [seenNow], window)).toEqual({ raise: [], update: [], resolve: [] });
    expect(reconcileAlerts([{ id: 1, ...gap }], [{ start: gap.start, end: gap.end + HOUR_MS }], window).update).toEqual([{ id: 1, start: gap.start, end: gap.end + HOUR_MS }]);
  });

  it('moves the start of a future gap that was partly filled', () => {
    const later = { start: gap.start + 2 * HOUR_MS, end: gap.end };
    expect(reconcileAlerts([{ id: 1, ...gap }], [later], window).update).toEqual([{ id: 1, ...later }]);
  });

  it('folds two alerts of one gap into the earlier, and resolves what no gap touches as filled or elapsed', () => {
    const plan = reconcileAlerts(
      [
        { id: 2, start: gap.start + HOUR_MS, end: gap.end },
        { id: 1, ...gap },
        { id: 3, start: sh('2026-03-05'), end: sh('2026-03-05', '08:00') },
        { id: 4, start: sh('2026-03-01'), end: sh('2026-03-01', '08:00') },
      ],
      [gap],
      window,
    );
    expect(plan.raise).toEqual([]);
    expect(plan.update).toEqual([]);
    expect(plan.resolve).toEqual([
      { id: 2, resolution: DutyAlertResolution.Merged },
      { id: 3, resolution: DutyAlertResolution.Filled },
      { id: 4, resolution: DutyAlertResolution.Elapsed },
    ]);
  });
});

describe('crew rosters', () => {
  const crew = domainScope(DutyScopeKind.Crew, 7);
  const week = { start: sh('2026-03-02'), end: sh('2026-03-09') };
  // The crew's hours: weekday days 08:00–20:00.
  const hours = slotOccurrences([1, 2, 3, 4, 5].map((d) => slot(d, '08:00', '20:00')), week);
  const onDuty = (start: number, end: number) => domainShift({ scopeKind: DutyScopeKind.Crew, scopeId: 7, level: EscalationLevel.GridMember, personId: 1, start, end });

  it('are held to the crew’s hours: nights and weekends off are no gap, a hole in the hours is', () => {
    const shifts = hours.filter((o) => o.start !== sh('2026-03-04', '08:00')).map((o) => onDuty(o.start, o.end));
    shifts.push(onDuty(sh('2026-03-04', '08:00'), sh('2026-03-04', '13:00')));
    const held = [...shifts, ...offHoursShifts(crew, EscalationLevel.GridMember, hours, week)];
    expect(levelCoverage(held, EscalationLevel.GridMember, week).gaps).toEqual([{ start: sh('2026-03-04', '13:00'), end: sh('2026-03-04', '20:00') }]);
    // Held to 24 hours instead, every night and the weekend would be a gap.
    expect(levelCoverage(shifts, EscalationLevel.GridMember, week).gaps).toHaveLength(6);
  });

  it('with no hours at all have no gap', () => {
    expect(levelCoverage(offHoursShifts(crew, EscalationLevel.GridMember, [], week), EscalationLevel.GridMember, week).gaps).toEqual([]);
  });

  it('name their level after the crew, not the ladder', () => {
    expect(dutyLevelLabel(DutyScopeKind.Crew, EscalationLevel.GridMember)).toBe('维修人员');
    expect(dutyLevelLabel(DutyScopeKind.Grid, EscalationLevel.GridMember)).toBe('网格员');
  });
});
