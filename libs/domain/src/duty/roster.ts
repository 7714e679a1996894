import { EscalationLevel } from '@qihu/contracts';
import { EpochMs } from '../time';

/**
 * Whose roster a shift belongs to: a grid, a micro-grid (its 微网格长), a department, or a
 * maintenance crew (维修队, which takes dispatched equipment faults and holds no ticket level).
 */
export type DutyScope =
  | { kind: 'grid'; gridCode: string }
  | { kind: 'microgrid'; microgridCode: string }
  | { kind: 'department'; departmentId: string }
  | { kind: 'crew'; crewId: string };

/** One person on duty at one level of the ladder over [start, end). */
export interface DutyShift {
  personId: string;
  scope: DutyScope;
  level: EscalationLevel;
  start: EpochMs;
  end: EpochMs;
}

export function isOnDuty(shift: DutyShift, at: EpochMs): boolean {
  return shift.start <= at && at < shift.end;
}
