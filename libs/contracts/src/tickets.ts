import type { AttachmentView } from './uploads';

/**
 * Ticket states and actions. The state machine that decides between them lives in
 * @qihu/domain; these are only the names, shared by the API and the mini-program.
 * Stored in the database as these strings: do not rename.
 */
export enum TicketStatus {
  Submitted = 'submitted', // 待受理
  Acknowledged = 'acknowledged', // 已受理
  Dispatched = 'dispatched', // 已派单
  Accepted = 'accepted', // 已接单
  OnSite = 'on_site', // 已到场
  Resolved = 'resolved', // 已办结
  Closed = 'closed', // 已评价 / 未评价自动关闭
  Reopened = 'reopened', // 重办
  Cancelled = 'cancelled', // 已撤回
}

export const TICKET_STATUS_LABEL: Record<TicketStatus, string> = {
  [TicketStatus.Submitted]: '待受理',
  [TicketStatus.Acknowledged]: '已受理',
  [TicketStatus.Dispatched]: '已派单',
  [TicketStatus.Accepted]: '已接单',
  [TicketStatus.OnSite]: '已到场',
  [TicketStatus.Resolved]: '已办结',
  [TicketStatus.Closed]: '已关闭',
  [TicketStatus.Reopened]: '重办',
  [TicketStatus.Cancelled]: '已撤回',
};

export enum TicketAction {
  Acknowledge = 'acknowledge', // 受理
  Return = 'return', // 退回
  Transfer = 'transfer', // 转办
  Dispatch = 'dispatch', // 派单
  Accept = 'accept', // 接单
  Decline = 'decline', // 拒单
  CheckIn = 'check_in', // 到场签到
  Resolve = 'resolve', // 办结
  Confirm = 'confirm', // 确认并评价
  AutoClose = 'auto_close', // 超时未评价自动关闭
  Reopen = 'reopen', // 重办
  Cancel = 'cancel', // 撤回
  Escalate = 'escalate', // 升级
  Supervise = 'supervise', // 督办
}

/** Timeline names of actions and of events that are not transitions. */
export const TICKET_EVENT_LABEL: Record<string, string> = {
  created: '提交诉求',
  [TicketAction.Acknowledge]: '受理',
  [TicketAction.Return]: '退回',
  [TicketAction.Transfer]: '转办',
  [TicketAction.Dispatch]: '派单',
  [TicketAction.Accept]: '接单',
  [TicketAction.Decline]: '拒单',
  [TicketAction.CheckIn]: '到场签到',
  [TicketAction.Resolve]: '办结',
  [TicketAction.Confirm]: '确认并评价',
  [TicketAction.AutoClose]: '超时未评价，自动关闭',
  [TicketAction.Reopen]: '重办',
  [TicketAction.Cancel]: '撤回',
  [TicketAction.Escalate]: '超时升级',
  [TicketAction.Supervise]: '督办',
  comment: '补充说明',
  routed: '派给值班人员',
  level_skipped: '无人值班，直接上报',
  sla_warning: '时限提醒',
  overdue: '办结超时',
  dispatch_expired: '维修队未接单，退回',
  on_site_overdue: '维修队到场超时',
  work_line: '登记服务项目或配件',
  work_line_removed: '撤销服务项目或配件',
};

/** Escalation levels: 0 on-duty grid member, 1 grid leader, 2 the department owning the category. */
export enum EscalationLevel {
  GridMember = 0,
  GridLeader = 1,
  Department = 2,
}

export const ESCALATION_LEVEL_LABEL: Record<EscalationLevel, string> = {
  [EscalationLevel.GridMember]: '网格员',
  [EscalationLevel.GridLeader]: '网格长',
  [EscalationLevel.Department]: '职能部门',
};

export enum Urgency {
  Normal = 'normal', // 普通
  Urgent = 'urgent', // 紧急
  Critical = 'critical', // 特急
}

export const URGENCY_LABEL: Record<Urgency, string> = {
  [Urgency.Normal]: '普通',
  [Urgency.Urgent]: '紧急',
  [Urgency.Critical]: '特急',
};

/** Which deadline a ticket is running against now. */
export enum DeadlineKind {
  Acknowledge = 'ack', // 受理时限
  Resolve = 'resolve', // 办结时限
  Confirm = 'confirm', // 评价时限 (then closed as not rated)
  OnSite = 'on_site', // 到场时限 (crew on site after dispatch)
}

export const DEADLINE_KIND_LABEL: Record<DeadlineKind, string> = {
  [DeadlineKind.Acknowledge]: '受理时限',
  [DeadlineKind.Resolve]: '办结时限',
  [DeadlineKind.Confirm]: '评价时限',
  [DeadlineKind.OnSite]: '到场时限',
};

/** 一键响应: who and what a one-tap request is for, filled in from who is asking. */
export interface IntakeDefaultsView {
  firmId: number;
  firmName: string;
  categoryId: number;
  categoryName: string;
}

export interface GeoPoint {
  latitude: number;
  longitude: number;
  /** What the person or the map said the place is called. */
  address?: string;
}

export interface CreateTicketRequest {
  /** Defaults to the caller's firm. */
  firmId?: number;
  categoryId: number;
  /** Defaults to 普通. */
  urgency?: Urgency;
  description?: string;
  /** Defaults to the firm's registered location. */
  location?: GeoPoint;
  /** Upload ids of up to 9 photos (POST /uploads first). */
  photoIds?: string[];
  /** Upload id of one voice note. */
  voiceId?: string;
  /** The machine's code from its QR label (一设备一档). */
  equipmentCode?: string;
  /** Workers only, default true: the request is hidden from the firm's contacts (staff still see who asked). */
  anonymous?: boolean;
}

/** 退回 (the clock is not reset), 重办 and 撤回 take a reason. */
export interface ReasonRequest {
  reason: string;
}

/** 转办: hand the ticket to another staff member who may hold it at its level. */
export interface TransferTicketRequest {
  toPersonId: number;
  reason: string;
}

/** Someone a ticket can be transferred to (GET /tickets/:id/transfer-targets). */
export interface TransferTargetView {
  personId: number;
  name: string;
  roleLabel: string;
}

/** A comment, photos, or both. */
export interface CommentRequest {
  text?: string;
  photoIds?: string[];
}

/** 到场签到: where the handler is, from the phone's location. */
export interface CheckInRequest {
  latitude: number;
  longitude: number;
  /** Metres, as the phone reports it. */
  accuracy?: number;
  address?: string;
}

export interface ResolveRequest {
  note: string;
  photoIds?: string[];
}

/** 确认并评价: 1–5 stars and an optional comment. */
export interface ConfirmRequest {
  rating: number;
  comment?: string;
}

/** 督办: the community admin presses the holder, with a note. */
export interface SuperviseRequest {
  note: string;
}

export interface TicketEventView {
  id: number;
  type: string;
  /** Chinese name of the event, e.g. 受理, 升级, 督办. */
  typeLabel: string;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus;
  level: EscalationLevel;
  levelLabel: string;
  actor: string;
  /** Who did it; null for the system (SLA clock) and for an anonymous worker seen by their firm. */
  actorPersonId: number | null;
  actorName: string | null;
  /** Reason, note, comment or rating comment. */
  note: string | null;
  /** Rating, check-in position, transfer target … by event type. */
  data: Record<string, unknown> | null;
  at: string; // ISO 8601 UTC
}

export interface TicketHolderView {
  personId: number;
  name: string;
  level: EscalationLevel;
  levelLabel: string;
}

export interface TicketDeadlineView {
  kind: DeadlineKind;
  label: string;
  dueAt: string;
  /** Milliseconds left when the view was made (negative when overdue). */
  remainingMs: number;
}

export interface TicketView {
  id: number;
  number: string;
  firmId: number;
  firmName: string;
  categoryId: number;
  categoryName: string;
  urgency: Urgency;
  urgencyLabel: string;
  description: string;
  location: GeoPoint | null;
  equipmentCode: string | null;
  /** A worker's request hidden from the firm's contacts. */
  anonymous: boolean;
  /** Who raised it; null for someone not allowed to know. */
  requesterName: string | null;
  status: TicketStatus;
  statusLabel: string;
  level: EscalationLevel;
  levelLabel: string;
  /** Who holds it now; null when nobody on the roster could be found (the admin is alerted). */
  holder: TicketHolderView | null;
  deadline: TicketDeadlineView | null;
  /** The next deadline while one is armed, ISO 8601 UTC (same as deadline.dueAt). */
  nextDeadlineAt: string | null;
  /** The resolve deadline passed before it was resolved. */
  overdue: boolean;
  supervised: boolean;
  rating: number | null;
  ratingComment: string | null;
  createdAt: string;
  acknowledgedAt: string | null;
  checkedInAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  attachments: AttachmentView[];
  events: TicketEventView[];
  /** What the caller may do now (buttons to show). */
  actions: TicketAction[];
}

/** One line of a list (my requests, the staff inbox). */
export interface TicketSummaryView {
  id: number;
  number: string;
  firmName: string;
  categoryName: string;
  urgency: Urgency;
  urgencyLabel: string;
  description: string;
  status: TicketStatus;
  statusLabel: string;
  level: EscalationLevel;
  levelLabel: string;
  holderName: string | null;
  deadline: TicketDeadlineView | null;
  overdue: boolean;
  supervised: boolean;
  createdAt: string;
}

export interface TicketListView {
  items: TicketSummaryView[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * Lists. `GET /tickets/mine`: a requester's own (a firm contact: the firm's, less anonymous workers').
 * `GET /tickets/inbox`: staff, open tickets in scope, soonest deadline first; `holder=me` for only
 * those held by the caller.
 */
export interface TicketInboxQuery {
  holder?: 'me' | 'all';
  status?: 'open' | 'closed' | 'all';
  cursor?: string;
  limit?: number;
}
