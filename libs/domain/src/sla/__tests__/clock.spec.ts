import fc from 'fast-check';
import { TicketAction } from '@qihu/contracts';
import { ALWAYS_OPEN, STANDARD_WORKING_TIME_SPEC, compileCalendar, dueAt, workingTimeBetween } from '../calendar';
import {
  SlaClockError,
  SlaClockErrorCode,
  SlaWarning,
  isSlaClockPaused,
  pauseSlaClock,
  resumeSlaClock,
  slaDueAt,
  slaStatus,
  slaTimeUsed,
  slaWarningInstants,
  startSlaClock,
} from '../clock';
import { DEFAULT_SLA_POLICY, POLICY_QUESTION_SLA_POLICY, SlaWindowKind, slaWindowEffect } from '../policy';
import { HOUR_MS, MINUTE_MS, shanghaiTime as sh } from '../../time';

const office = compileCalendar(STANDARD_WORKING_TIME_SPEC);

describe('SLA clock', () => {
  const start = sh('2026-03-03', '10:00');

  it('counts down a 30-minute acknowledge window with 50% and 75% warnings', () => {
    const clock = startSlaClock(start, 30 * MINUTE_MS);
    expect(slaStatus(ALWAYS_OPEN, clock, start)).toEqual({
      dueAt: start + 30 * MINUTE_MS,
      usedMs: 0,
      remainingMs: 30 * MINUTE_MS,
      overdueMs: 0,
      fractionUsed: 0,
      percentUsed: 0,
      warning: SlaWarning.None,
      paused: false,
    });
    expect(slaStatus(ALWAYS_OPEN, clock, start + 14 * MINUTE_MS).warning).toBe(SlaWarning.None);
    expect(slaStatus(ALWAYS_OPEN, clock, start + 15 * MINUTE_MS)).toMatchObject({ warning: SlaWarning.HalfUsed, percentUsed: 50 });
    expect(slaStatus(ALWAYS_OPEN, clock, start + 23 * MINUTE_MS)).toMatchObject({ warning: SlaWarning.ThreeQuartersUsed, percentUsed: 76 });
    expect(slaStatus(ALWAYS_OPEN, clock, start + 40 * MINUTE_MS)).toMatchObject({
      warning: SlaWarning.Breached,
      remainingMs: 0,
      overdueMs: 10 * MINUTE_MS,
      percentUsed: 133,
    });
    expect(slaWarningInstants(ALWAYS_OPEN, clock)).toEqual([
      { warning: SlaWarning.HalfUsed, at: start + 15 * MINUTE_MS },
      { warning: SlaWarning.ThreeQuartersUsed, at: start + 22.5 * MINUTE_MS },
      { warning: SlaWarning.Breached, at: start + 30 * MINUTE_MS },
    ]);
  });

  it('does not count time paused while waiting for the firm (待补充材料)', () => {
    let clock = startSlaClock(start, 30 * MINUTE_MS);
    clock = pauseSlaClock(clock, start + 10 * MINUTE_MS);
    expect(isSlaClockPaused(clock)).toBe(true);
    expect(slaDueAt(ALWAYS_OPEN, clock)).toBeNull();
    expect(slaStatus(ALWAYS_OPEN, clock, start + 3 * HOUR_MS)).toMatchObject({ usedMs: 10 * MINUTE_MS, paused: true, dueAt: null });
    clock = resumeSlaClock(clock, start + 2 * HOUR_MS);
    expect(slaDueAt(ALWAYS_OPEN, clock)).toBe(start + 2 * HOUR_MS + 20 * MINUTE_MS);
    expect(slaTimeUsed(ALWAYS_OPEN, clock, start + 2 * HOUR_MS + 5 * MINUTE_MS)).toBe(15 * MINUTE_MS);
  });

  it('keeps a deadline that passed before the pause', () => {
    let clock = startSlaClock(start, 30 * MINUTE_MS);
    clock = pauseSlaClock(clock, start + HOUR_MS);
    expect(slaDueAt(ALWAYS_OPEN, clock)).toBe(start + 30 * MINUTE_MS);
    expect(slaStatus(ALWAYS_OPEN, clock, start + 2 * HOUR_MS)).toMatchObject({ overdueMs: 30 * MINUTE_MS, warning: SlaWarning.Breached });
  });

  it('pauses on a working-time calendar count only the working part of the pause', () => {
    // 3 working days to resolve; paused from Friday 16:00 to Monday 10:00 = 1.5 h + 1.5 h of working time.
    let clock = startSlaClock(sh('2026-03-05', '09:00'), POLICY_QUESTION_SLA_POLICY[SlaWindowKind.Resolve].durationMs);
    clock = resumeSlaClock(pauseSlaClock(clock, sh('2026-03-06', '16:00')), sh('2026-03-09', '10:00'));
    const unpaused = dueAt(office, sh('2026-03-05', '09:00'), 22.5 * HOUR_MS);
    expect(unpaused).toBe(sh('2026-03-10', '09:00'));
    expect(slaDueAt(office, clock)).toBe(sh('2026-03-10', '12:00'));
  });

  it('handles zero-length windows', () => {
    const clock = startSlaClock(start, 0);
    expect(slaDueAt(ALWAYS_OPEN, clock)).toBe(start);
    expect(slaDueAt(ALWAYS_OPEN, pauseSlaClock(clock, start + 1))).toBe(start);
    expect(slaStatus(ALWAYS_OPEN, clock, start)).toMatchObject({ fractionUsed: 1, warning: SlaWarning.Breached });
  });

  it('refuses pauses and resumes out of order', () => {
    const clock = startSlaClock(start, 30 * MINUTE_MS);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(SlaClockError);
        return (e as SlaClockError).code;
      }
      throw new Error('did not throw');
    };
    expect(code(() => resumeSlaClock(clock, start))).toBe(SlaClockErrorCode.NotPaused);
    expect(code(() => pauseSlaClock(clock, start - 1))).toBe(SlaClockErrorCode.OutOfOrder);
    const paused = pauseSlaClock(clock, start + 5);
    expect(code(() => pauseSlaClock(paused, start + 6))).toBe(SlaClockErrorCode.AlreadyPaused);
    expect(code(() => resumeSlaClock(paused, start + 4))).toBe(SlaClockErrorCode.OutOfOrder);
    expect(code(() => pauseSlaClock(resumeSlaClock(paused, start + 10), start + 9))).toBe(SlaClockErrorCode.OutOfOrder);
    expect(() => startSlaClock(start, -1)).toThrow(RangeError);
  });
});

describe('SLA clock laws', () => {
  const calendars = fc.constantFrom(ALWAYS_OPEN, office);
  const t0 = sh('2026-01-01');
  const year = 365 * 24 * HOUR_MS;

  it('paused intervals add exactly their working length to the due time', () => {
    fc.assert(
      fc.property(
        calendars,
        fc.integer({ min: t0, max: t0 + year }),
        fc.integer({ min: 1, max: 20 * 7.5 * HOUR_MS }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 10 * 24 * HOUR_MS }),
        (cal, s, d, pausePermille, pauseLength) => {
          const unpausedDue = dueAt(cal, s, d);
          // pause somewhere before the deadline
          const pauseAt = s + Math.floor(((unpausedDue - s - 1) * pausePermille) / 1000);
          const clock = resumeSlaClock(pauseSlaClock(startSlaClock(s, d), pauseAt), pauseAt + pauseLength);
          expect(slaDueAt(cal, clock)).toBe(dueAt(cal, s, d + workingTimeBetween(cal, pauseAt, pauseAt + pauseLength)));
        },
      ),
    );
  });

  it('used + remaining = duration until the deadline, and used = duration at it', () => {
    fc.assert(
      fc.property(calendars, fc.integer({ min: t0, max: t0 + year }), fc.integer({ min: 1, max: 5 * 7.5 * HOUR_MS }), fc.double({ min: 0, max: 1, noNaN: true }), (cal, s, d, f) => {
        const clock = startSlaClock(s, d);
        const due = slaDueAt(cal, clock) as number;
        const now = s + Math.floor((due - s) * f);
        const st = slaStatus(cal, clock, now);
        expect(st.usedMs + st.remainingMs).toBe(d);
        expect(slaStatus(cal, clock, due)).toMatchObject({ usedMs: d, remainingMs: 0, warning: SlaWarning.Breached });
      }),
    );
  });
});

describe('SLA policies', () => {
  it('defaults to 30-minute acknowledgement around the clock and 72 h to confirm', () => {
    expect(DEFAULT_SLA_POLICY[SlaWindowKind.Acknowledge]).toEqual({ durationMs: 30 * MINUTE_MS, calendar: { kind: 'always_open' } });
    expect(DEFAULT_SLA_POLICY[SlaWindowKind.Confirm].durationMs).toBe(72 * HOUR_MS);
    expect(POLICY_QUESTION_SLA_POLICY[SlaWindowKind.Resolve].calendar).toBe(STANDARD_WORKING_TIME_SPEC);
  });

  it('says which windows an action starts and stops; a return resets nothing', () => {
    expect(slaWindowEffect(TicketAction.Acknowledge)).toEqual({ start: [SlaWindowKind.Resolve], stop: [SlaWindowKind.Acknowledge] });
    expect(slaWindowEffect(TicketAction.Reopen).start).toEqual([SlaWindowKind.Acknowledge]);
    expect(slaWindowEffect(TicketAction.Return)).toEqual({ start: [], stop: [] });
    expect(slaWindowEffect(TicketAction.Escalate)).toEqual({ start: [], stop: [] });
  });
});
