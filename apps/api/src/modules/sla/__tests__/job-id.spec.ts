import { jobIdOf } from '../sla.service';

describe('jobIdOf', () => {
  it('is deterministic per timer and version, and never contains ":" (BullMQ refuses it)', () => {
    expect(jobIdOf({ id: 42, version: 3 })).toBe('t42-v3');
    expect(jobIdOf({ id: 42, version: 3 })).toBe(jobIdOf({ id: 42, version: 3 }));
    expect(jobIdOf({ id: 42, version: 4 })).not.toBe(jobIdOf({ id: 42, version: 3 }));
    expect(jobIdOf({ id: 9007199254740991, version: 1 })).not.toContain(':');
  });
});
