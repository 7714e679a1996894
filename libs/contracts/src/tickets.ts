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

/** 一键响应: who and what a one-tap request is for, filled in from who is asking. */
export interface IntakeDefaultsView {
  firmId: number;
  firmName: string;
  categoryId: number;
  categoryName: string;
}

export interface CreateTicketRequest {
  /** Defaults to the caller's firm. */
  firmId?: number;
  categoryId: number;
  description?: string;
}

export interface TicketEventView {
  id: number;
  type: string;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus;
  level: EscalationLevel;
  actor: string;
  at: string; // ISO 8601 UTC
}

export interface TicketView {
  id: number;
  number: string;
  firmId: number;
  categoryId: number;
  description: string;
  status: TicketStatus;
  statusLabel: string;
  level: EscalationLevel;
  levelLabel: string;
  /** The next deadline (acknowledge) while one is armed, ISO 8601 UTC. */
  nextDeadlineAt: string | null;
  createdAt: string;
  acknowledgedAt: string | null;
  events: TicketEventView[];
}
