import type {
  BillView,
  CrewCheckInRequest,
  CrewView,
  DispatchListItemView,
  DispatchView,
  FinishRequest,
  TicketView,
  WorkLineRequest,
} from '@qihu/contracts'
import { request } from './request'

const TICKETS = '/api/v1/tickets'

export type DispatchListState = 'open' | 'all'

/** 派单列表: the crew's dispatches, newest first; `open` for those not finished, declined or expired. */
export function listDispatches(state: DispatchListState): Promise<DispatchListItemView[]> {
  return request<DispatchListItemView[]>(`/api/v1/dispatches?state=${state}`)
}

/** The ticket's latest dispatch, or null when it was never dispatched. */
export async function getDispatch(ticketId: number): Promise<DispatchView | null> {
  // The API answers "none" with an empty body: null in H5, '' from wx.request.
  return (await request<DispatchView | null | ''>(`${TICKETS}/${ticketId}/dispatch`)) || null
}

/** 账单: the lines at the price of their time, warranty lines free, totals in fen. */
export function getBill(ticketId: number): Promise<BillView> {
  return request<BillView>(`${TICKETS}/${ticketId}/bill`)
}

/** The community's crews, with skills and whether someone is on duty: whom 派单 may pick. */
export function listCrews(): Promise<CrewView[]> {
  return request<CrewView[]>('/api/v1/crews')
}

/** What the crew's own steps take: 到场签到, 登记 a service item or part, 完工. */
export interface CrewStepBodies {
  arrive: CrewCheckInRequest
  'work-lines': WorkLineRequest
  finish: FinishRequest
}

export type CrewStep = keyof CrewStepBodies

/**
 * A crew member's step on a ticket. Crews have paths of their own for what the ticket lists as
 * `check_in` and `resolve` (arrive, finish: proof of arrival and the bill go with them).
 * `idempotencyKey` is new per tap, reused by request's retries.
 */
export function runCrewStep<S extends CrewStep>(ticketId: number, step: S, body: CrewStepBodies[S], idempotencyKey: string): Promise<TicketView> {
  return request<TicketView>(`${TICKETS}/${ticketId}/${step}`, { method: 'POST', data: body, idempotencyKey })
}
