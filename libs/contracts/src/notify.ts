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
  /** A store's stock of a part fell to its low-stock threshold (to the community admin). */
  StockLow = 'stock_low',
  /** Faults of one model or category recurring across firms (一类事), to the community admin. */
  RecurringFaults = 'recurring_faults',
}

/** Where one notification's WeChat delivery stands. Stored as these strings: do not rename. */
export enum NotificationDeliveryState {
  /** Waiting for its first attempt or for a retry. */
  Pending = 'pending',
  Sent = 'sent',
  /** The person never logged in through WeChat, so there is nobody to send to; the inbox has it. */
  NoOpenid = 'no_openid',
  /** WeChat answered 43101: no subscription left for this template. Not retried. */
  NotSubscribed = 'not_subscribed',
  /** Every attempt failed; given up. */
  Failed = 'failed',
}

/** The outcome of one delivery attempt, as the delivery log records it. */
export enum DeliveryAttemptResult {
  Sent = 'sent',
  NoOpenid = 'no_openid',
  NotSubscribed = 'not_subscribed',
  /** WeChat refused the message with an errcode (retried). */
  Rejected = 'rejected',
  /** WeChat unreachable, slow, 5xx or busy (retried). */
  Unavailable = 'unavailable',
}

/** One entry of a person's inbox. Instants are ISO 8601 UTC. */
export interface NotificationView {
  id: number;
  kind: NotificationKind;
  ticketId: number | null;
  title: string;
  body: string;
  /** Mini-program page to open, e.g. `pages/ticket/index?id=12`. */
  page: string;
  data: Record<string, string>;
  createdAt: string;
  readAt: string | null;
}

/** `GET /notifications`: newest first; pass `nextCursor` back as `cursor` for the next page. */
export interface NotificationListView {
  items: NotificationView[];
  nextCursor: string | null;
  /** Unread notifications of the caller in all, not only on this page. */
  unreadCount: number;
}

export interface NotificationListQuery {
  unread?: boolean;
  cursor?: string;
  /** 1–100, default 20. */
  limit?: number;
}

export interface ReadAllNotificationsView {
  /** How many were unread and are now read. */
  marked: number;
  unreadCount: number;
}

/** A subscribe-message template the mini-program asks the person to accept (wx.requestSubscribeMessage). */
export interface NotificationTemplateView {
  kind: NotificationKind;
  templateId: string;
  /** The caller's latest answer for this kind, or null when never asked. */
  accepted: boolean | null;
  answeredAt: string | null;
}

/** What the person answered to wx.requestSubscribeMessage for these kinds. */
export interface SubscriptionAnswerRequest {
  kinds: NotificationKind[];
  accepted: boolean;
}

export interface DeliveryAttemptView {
  attempt: number;
  at: string;
  result: DeliveryAttemptResult;
  errcode: number | null;
  errmsg: string | null;
  /** How long the attempt took, in milliseconds. */
  ms: number;
}

/** One notification of a ticket and how its WeChat delivery went (community admin's view). */
export interface NotificationDeliveryView {
  notificationId: number;
  personId: number;
  personName: string;
  kind: NotificationKind;
  title: string;
  createdAt: string;
  state: NotificationDeliveryState;
  /** The person's latest subscription answer for this kind, null when never asked. */
  subscribed: boolean | null;
  attempts: DeliveryAttemptView[];
}
