/**
 * Duty rosters (24小时值守, 周末不打烊): see apps/api/src/modules/duty.
 *
 * A shift puts one person (and optionally a backup) on duty at one level of the escalation ladder
 * in one scope over [startsAt, endsAt). Weekly templates are materialised into shifts ahead of
 * time; overrides and swaps change shifts; handover notes pass from one shift to the next;
 * coverage alerts report when nobody is on duty. Instants are ISO 8601 strings (UTC); template
 * times are Asia/Shanghai wall-clock `HH:mm`.
 */
import { EscalationLevel } from './tickets';

/** Whose roster a shift belongs to. Stored as these strings: do not rename. */
export enum DutyScopeKind {
  /** A grid: level 0 (its members, part-timers and micro-grid leaders) and level 1 (its leader). */
  Grid = 'grid',
  /** A micro-grid: level 0 by its 微网格长, for the firms of that micro-grid only. */
  Microgrid = 'microgrid',
  /** A street/town department: level 2 for the categories it owns. */
  Department = 'department',
  /**
   * A maintenance crew (维修队): level 0 by its members, who take the equipment faults dispatched
   * to the crew on duty. Not a rung of the ticket ladder; its roster covers the crew's own hours.
   */
  Crew = 'crew',
}

export const DUTY_SCOPE_KIND_LABEL: Record<DutyScopeKind, string> = {
  [DutyScopeKind.Grid]: '网格',
  [DutyScopeKind.Microgrid]: '微网格',
  [DutyScopeKind.Department]: '部门',
  [DutyScopeKind.Crew]: '维修队',
};

/** `levelLabel` of a crew roster's shifts (its level 0 is not the ladder's 网格员). */
export const DUTY_CREW_LEVEL_LABEL = '维修人员';

/** How a shift came to be. Stored as these strings: do not rename. */
export enum ShiftSource {
  /** Materialised from a weekly template; replaced when the template is edited. */
  Template = 'template',
  /** Added by hand beside whatever else is on duty. */
  Manual = 'manual',
  /** Its person changed by an accepted swap; a template edit leaves it alone. */
  Swap = 'swap',
  /** Replaces whoever was on duty over its interval (替班); a template edit leaves it alone. */
  Override = 'override',
}

export const SHIFT_SOURCE_LABEL: Record<ShiftSource, string> = {
  [ShiftSource.Template]: '排班模板',
  [ShiftSource.Manual]: '手工排班',
  [ShiftSource.Swap]: '换班',
  [ShiftSource.Override]: '替班',
};

export enum DutySwapStatus {
  Pending = 'pending',
  Accepted = 'accepted',
  Rejected = 'rejected',
  Cancelled = 'cancelled',
}

export const DUTY_SWAP_STATUS_LABEL: Record<DutySwapStatus, string> = {
  [DutySwapStatus.Pending]: '待处理',
  [DutySwapStatus.Accepted]: '已同意',
  [DutySwapStatus.Rejected]: '已拒绝',
  [DutySwapStatus.Cancelled]: '已撤回',
};

/** Where a coverage alert was found. Stored as these strings: do not rename. */
export enum DutyAlertOrigin {
  /** The housekeeping job's look at the next 7 days. */
  Coverage = 'coverage',
  /** A ticket had to skip the level because nobody was on duty. */
  Routing = 'routing',
}

/** Why an alert is no longer open. Stored as these strings: do not rename. */
export enum DutyAlertResolution {
  /** Someone was put on duty over the gap. */
  Filled = 'filled',
  /** The gap passed with nobody on duty. */
  Elapsed = 'elapsed',
  /** Folded into another alert for the same gap. */
  Merged = 'merged',
}

/** Day kinds of the coverage report (as libs/domain ChineseDayKind). */
export type DutyDayKind = 'workday' | 'weekend' | 'public_holiday' | 'make_up_workday';

export const DUTY_DAY_KIND_LABEL: Record<DutyDayKind, string> = {
  workday: '工作日',
  weekend: '周末',
  public_holiday: '法定节假日',
  make_up_workday: '调休上班日',
};

export interface DutyScopeRef {
  scopeKind: DutyScopeKind;
  scopeId: number;
}

export interface DutyShiftView extends DutyScopeRef {
  id: number;
  communityId: number;
  /** Grid, micro-grid, department or crew name. */
  scopeName: string;
  level: EscalationLevel;
  levelLabel: string;
  personId: number;
  personName: string;
  backupPersonId: number | null;
  backupPersonName: string | null;
  startsAt: string;
  endsAt: string;
  source: ShiftSource;
  templateId: number | null;
  note: string;
  cancelledAt: string | null;
}

export interface DutyShiftQuery {
  scopeKind?: DutyScopeKind;
  scopeId?: number;
  level?: EscalationLevel;
  /** Only shifts where I am the person or the backup. */
  mine?: boolean;
  /** Window, default now … now + 7 days; at most 62 days. */
  from?: string;
  to?: string;
  includeCancelled?: boolean;
}

/** A manual shift (POST /duty/shifts) or an override (POST /duty/overrides). */
export interface CreateDutyShiftInput extends DutyScopeRef {
  level: EscalationLevel;
  personId: number;
  backupPersonId?: number | null;
  startsAt: string;
  endsAt: string;
  note?: string;
}

/** One row of a weekly pattern: ISO weekday (1 = Monday), Shanghai wall-clock start and end. */
export interface DutyTemplateSlot {
  weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  /** `HH:mm`. */
  start: string;
  /** `HH:mm`; not after `start` means the next day (20:00–08:00), equal means 24 hours. */
  end: string;
  personId: number;
  backupPersonId?: number | null;
}

export interface DutyTemplateSlotView extends DutyTemplateSlot {
  personName: string;
  backupPersonId: number | null;
  backupPersonName: string | null;
}

export interface DutyTemplateView extends DutyScopeRef {
  id: number;
  communityId: number;
  scopeName: string;
  level: EscalationLevel;
  levelLabel: string;
  name: string;
  slots: DutyTemplateSlotView[];
  /** Shifts exist up to this instant; the housekeeping job keeps it at least 14 days ahead. */
  materialisedUntil: string;
  updatedAt: string;
}

export interface CreateDutyTemplateInput extends DutyScopeRef {
  level: EscalationLevel;
  name?: string;
  slots: DutyTemplateSlot[];
}

export interface UpdateDutyTemplateInput {
  name?: string;
  slots: DutyTemplateSlot[];
}

/** Ask a colleague to take my shift (`counterpartShiftId` empty) or to exchange it for theirs. */
export interface CreateDutySwapInput {
  shiftId: number;
  counterpartId: number;
  counterpartShiftId?: number | null;
  note?: string;
}

export interface DutySwapView {
  id: number;
  status: DutySwapStatus;
  statusLabel: string;
  shift: DutyShiftView;
  requesterId: number;
  requesterName: string;
  counterpartId: number;
  counterpartName: string;
  counterpartShift: DutyShiftView | null;
  note: string;
  decidedBy: number | null;
  decidedAt: string | null;
  createdAt: string;
}

export interface CreateDutyHandoverInput {
  shiftId: number;
  note: string;
}

export interface DutyHandoverView {
  id: number;
  shift: DutyShiftView;
  fromPersonId: number;
  fromPersonName: string;
  note: string;
  createdAt: string;
  acknowledgedBy: number | null;
  acknowledgedByName: string | null;
  acknowledgedAt: string | null;
}

export interface DutyOnDutyPerson {
  shiftId: number;
  scopeKind: DutyScopeKind;
  scopeId: number;
  scopeName: string;
  personId: number;
  personName: string;
  backupPersonId: number | null;
  backupPersonName: string | null;
  endsAt: string;
}

/** GET /duty/now: who is on duty at each level for a grid's firms. */
export interface DutyNowView {
  at: string;
  gridId: number;
  gridName: string;
  levels: Array<{ level: EscalationLevel; levelLabel: string; onDuty: DutyOnDutyPerson[] }>;
}

export interface DutyGapView {
  start: string;
  end: string;
}

export interface DutyScopeCoverageView extends DutyScopeRef {
  scopeName: string;
  level: EscalationLevel;
  levelLabel: string;
  /**
   * 24-hour duty holds over the whole window, weekends and holidays included. A crew is held
   * only to its own hours (its weekly template): its gaps are the holes in those.
   */
  fullyCovered: boolean;
  /** Minutes with someone on duty. */
  coveredMinutes: number;
  gaps: DutyGapView[];
  /** Days with a gap, with their kind (周末, 法定节假日 …). */
  uncoveredDays: Array<{ date: string; kind: DutyDayKind; kindLabel: string; uncoveredMinutes: number }>;
}

export interface DutyCoverageView {
  from: string;
  to: string;
  scopes: DutyScopeCoverageView[];
}

export interface DutyAlertView extends DutyScopeRef {
  id: number;
  scopeName: string;
  level: EscalationLevel;
  levelLabel: string;
  gapStart: string;
  gapEnd: string;
  origin: DutyAlertOrigin;
  raisedAt: string;
  resolvedAt: string | null;
  resolution: DutyAlertResolution | null;
}
