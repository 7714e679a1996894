import type { CreateTicketRequest, IntakeDefaultsView, TicketView } from '@qihu/contracts'
import { request } from './request'

export function getIntakeDefaults(): Promise<IntakeDefaultsView> {
  return request<IntakeDefaultsView>('/api/v1/intake/defaults')
}

export function createTicket(body: CreateTicketRequest, idempotencyKey: string): Promise<TicketView> {
  return request<TicketView>('/api/v1/tickets', { method: 'POST', data: body, idempotencyKey })
}

export function getTicket(id: number): Promise<TicketView> {
  return request<TicketView>(`/api/v1/tickets/${id}`)
}

/** 8–64 chars of [A-Za-z0-9_-], unique per tap; retries of that tap reuse it. */
export function newIdempotencyKey(): string {
  const random = () => Math.random().toString(36).slice(2, 10).padEnd(8, '0')
  return `${Date.now().toString(36)}-${random()}${random()}`
}
