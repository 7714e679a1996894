/**
 * SLA policies per category: the length of each window and the calendar it runs on, and which
 * ticket actions start and stop which window. Defaults from domain.md; all editable per category.
 */
import { TicketAction } from '@qihu/contracts';
import { ALWAYS_OPEN_SPEC, CalendarSpec, STANDARD_WORKING_TIME_SPEC } from './calendar';
import { DurationMs, HOUR_MS, MINUTE_MS } from '../time';

export enum SlaWindowKind {
  /** 受理: from submission to acknowledgement; its deadline drives escalation. */
  Acknowledge = 'acknowledge',
  /** 到场: from dispatch to check-in on site. */
  OnSite = 'on_site',
  /** 办结: from acknowledgement to resolution. */
  Resolve = 'resolve',
  /** 评价: from resolution to the requester's confirmation, then auto-closed as not rated. */
  Confirm = 'confirm',
}

export interface SlaWindowPolicy {
  durationMs: DurationMs;
  calendar: CalendarSpec;
}

export type SlaPolicy = Record<SlaWindowKind, SlaWindowPolicy>;

/** Repairs: 30 min to acknowledge and to be on site, 24 h to resolve, 72 h to confirm, all 24×7. */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  [SlaWindowKind.Acknowledge]: { durationMs: 30 * MINUTE_MS, calendar: ALWAYS_OPEN_SPEC },
  [SlaWindowKind.OnSite]: { durationMs: 30 * MINUTE_MS, calendar: ALWAYS_OPEN_SPEC },
  [SlaWindowKind.Resolve]: { durationMs: 24 * HOUR_MS, calendar: ALWAYS_OPEN_SPEC },
  [SlaWindowKind.Confirm]: { durationMs: 72 * HOUR_MS, calendar: ALWAYS_OPEN_SPEC },
};

/** One working day of STANDARD_WORKING_TIME_SPEC (08:30–17:30 less a 90-minute lunch). */
export const STANDARD_WORKING_DAY_MS: DurationMs = 7.5 * HOUR_MS;

/** Policy questions: acknowledged in 30 min around the clock, resolved within 3 working days. */
export const POLICY_QUESTION_SLA_POLICY: SlaPolicy = {
  ...DEFAULT_SLA_POLICY,
  [SlaWindowKind.Resolve]: { durationMs: 3 * STANDARD_WORKING_DAY_MS, calendar: STANDARD_WORKING_TIME_SPEC },
};

export interface SlaWindowEffect {
  start: readonly SlaWindowKind[];
  stop: readonly SlaWindowKind[];
}

/**
 * Which windows a successful transition starts and stops. Submission itself starts the acknowledge
 * window. Returning (退回), transferring, escalating and supervising change no clock: a return
 * does not reset the acknowledge deadline.
 */
export const SLA_WINDOW_EFFECTS: Readonly<Partial<Record<TicketAction, SlaWindowEffect>>> = {
  [TicketAction.Acknowledge]: { start: [SlaWindowKind.Resolve], stop: [SlaWindowKind.Acknowledge] },
  [TicketAction.Dispatch]: { start: [SlaWindowKind.OnSite], stop: [] },
  [TicketAction.Decline]: { start: [], stop: [SlaWindowKind.OnSite] },
  [TicketAction.CheckIn]: { start: [], stop: [SlaWindowKind.OnSite] },
  [TicketAction.Resolve]: { start: [SlaWindowKind.Confirm], stop: [SlaWindowKind.Resolve, SlaWindowKind.OnSite] },
  [TicketAction.Confirm]: { start: [], stop: [SlaWindowKind.Confirm] },
  [TicketAction.AutoClose]: { start: [], stop: [SlaWindowKind.Confirm] },
  [TicketAction.Reopen]: { start: [SlaWindowKind.Acknowledge], stop: [SlaWindowKind.Confirm] },
  [TicketAction.Cancel]: { start: [], stop: [SlaWindowKind.Acknowledge] },
};

const NO_EFFECT: SlaWindowEffect = { start: [], stop: [] };

export function slaWindowEffect(action: TicketAction): SlaWindowEffect {
  return SLA_WINDOW_EFFECTS[action] ?? NO_EFFECT;
}
