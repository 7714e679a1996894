import {
  TicketAction,
  type CheckInRequest,
  type CommentRequest,
  type ConfirmRequest,
  type CreateTicketRequest,
  type DispatchRequest,
  type IntakeDefaultsView,
  type ReasonRequest,
  type ResolveRequest,
  type SuperviseRequest,
  type TicketListView,
  type TicketView,
  type TransferTargetView,
  type TransferTicketRequest,
} from '@qihu/contracts'
import { withOfflineCopy } from './offline-copy'
import { request } from './request'

const TICKETS = '/api/v1/tickets'

/** Kept for offline use: 一键呼叫 must work (and queue) without a network. */
export function getIntakeDefaults(): Promise<IntakeDefaultsView> {
  return withOfflineCopy('intake-defaults', () => request<IntakeDefaultsView>('/api/v1/intake/defaults'))
}

export function createTicket(body: CreateTicketRequest, idempotencyKey: string): Promise<TicketView> {
  return request<TicketView>(TICKETS, { method: 'POST', data: body, idempotencyKey })
}

export function getTicket(id: number): Promise<TicketView> {
  return request<TicketView>(`${TICKETS}/${id}`)
}

export type TicketStatusFilter = 'open' | 'closed' | 'all'

/** 我的诉求: the requests I raised (a firm contact: the firm's). */
export function listMyTickets(status: TicketStatusFilter, cursor?: string): Promise<TicketListView> {
  return request<TicketListView>(`${TICKETS}/mine${query({ status, cursor })}`)
}

/** 待办: the tickets in my scope, soonest deadline first; `holder: 'me'` for only those I hold. */
export function listInbox(holder: 'me' | 'all', status: TicketStatusFilter, cursor?: string): Promise<TicketListView> {
  return request<TicketListView>(`${TICKETS}/inbox${query({ holder, status, cursor })}`)
}

/** Who a 转办 may go to. */
export function listTransferTargets(id: number): Promise<TransferTargetView[]> {
  return request<TransferTargetView[]>(`${TICKETS}/${id}/transfer-targets`)
}

/** The body each action takes (acknowledge and accept take none). */
export interface ActionBodies {
  [TicketAction.Acknowledge]: undefined
  [TicketAction.Return]: ReasonRequest
  [TicketAction.Transfer]: TransferTicketRequest
  [TicketAction.CheckIn]: CheckInRequest
  [TicketAction.Resolve]: ResolveRequest
  [TicketAction.Confirm]: ConfirmRequest
  [TicketAction.Reopen]: ReasonRequest
  /** The reason is optional before acknowledgement. */
  [TicketAction.Cancel]: Partial<ReasonRequest>
  [TicketAction.Supervise]: SuperviseRequest
  /** No crewId: the on-duty crew with the skill the machine needs. */
  [TicketAction.Dispatch]: DispatchRequest
  [TicketAction.Accept]: undefined
  [TicketAction.Decline]: ReasonRequest
}

export type ClientAction = keyof ActionBodies

/** The API path segment of each action the mini-program offers. */
const ACTION_PATH: Record<ClientAction, string> = {
  [TicketAction.Acknowledge]: 'acknowledge',
  [TicketAction.Return]: 'return',
  [TicketAction.Transfer]: 'transfer',
  [TicketAction.CheckIn]: 'check-in',
  [TicketAction.Resolve]: 'resolve',
  [TicketAction.Confirm]: 'confirm',
  [TicketAction.Reopen]: 'reopen',
  [TicketAction.Cancel]: 'cancel',
  [TicketAction.Supervise]: 'supervise',
  [TicketAction.Dispatch]: 'dispatch',
  [TicketAction.Accept]: 'accept',
  [TicketAction.Decline]: 'decline',
}

/** One tap on an action button: `idempotencyKey` is new per tap, reused by request's retries. */
export function runTicketAction<A extends ClientAction>(
  id: number,
  action: A,
  body: ActionBodies[A],
  idempotencyKey: string,
): Promise<TicketView> {
  return request<TicketView>(`${TICKETS}/${id}/${ACTION_PATH[action]}`, {
    method: 'POST',
    data: body ?? {},
    idempotencyKey,
  })
}

/** 补充说明: text, photos or both. */
export function addComment(id: number, body: CommentRequest, idempotencyKey: string): Promise<TicketView> {
  return request<TicketView>(`${TICKETS}/${id}/comments`, { method: 'POST', data: body, idempotencyKey })
}

/** 8–64 chars of [A-Za-z0-9_-], unique per tap; retries of that tap reuse it. */
export function newIdempotencyKey(): string {
  const random = () => Math.random().toString(36).slice(2, 10).padEnd(8, '0')
  return `${Date.now().toString(36)}-${random()}${random()}`
}

function query(params: Record<string, string | undefined>): string {
  const pairs = Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1]))
  return pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : ''
}
