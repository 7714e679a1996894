/** Notifications (inbox, WeChat subscribe messages): see apps/api/src/modules/notify. */

/** What a notification is about. Stored as these strings: do not rename. */
export enum NotificationKind {
  /** A ticket now waits for you (routed to you, escalated to you, transferred or returned to you). */
  TicketAssigned = 'ticket_assigned',
  /** Your request moved on: acknowledged, resolved, closed, reopened, supervised. */
  TicketProgress = 'ticket_progress',
  /** 50% / 75% of an SLA window used, or a supervision (督办) note from the admin. */
  SlaWarning = 'sla_warning',
  /** A duty roster has a gap in the next 7 days (to the community admin). */
  DutyCoverageGap = 'duty_coverage_gap',
}
