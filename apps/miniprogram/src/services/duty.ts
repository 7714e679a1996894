import type { CreateDutyHandoverInput, DutyHandoverView, DutyShiftView } from '@qihu/contracts'
import { request } from './request'
import { newIdempotencyKey } from './tickets'

const DUTY = '/api/v1/duty'

/** My shifts (as the person on duty or the backup) in [from, to). */
export function listMyShifts(from: Date, to: Date): Promise<DutyShiftView[]> {
  const query = `mine=true&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`
  return request<DutyShiftView[]>(`${DUTY}/shifts?${query}`)
}

/** Handover notes left for me by whoever was on duty before me. */
export function listHandoversToMe(): Promise<DutyHandoverView[]> {
  return request<DutyHandoverView[]>(`${DUTY}/handovers?mine=true`)
}

/** Handover notes I can read (my own among them), newest shift first. */
export function listHandovers(): Promise<DutyHandoverView[]> {
  return request<DutyHandoverView[]>(`${DUTY}/handovers`)
}

/** Writes (or, until the next person has read it, rewrites) the note for my shift. */
export function writeHandover(input: CreateDutyHandoverInput): Promise<DutyHandoverView> {
  return request<DutyHandoverView>(`${DUTY}/handovers`, { method: 'POST', data: input, idempotencyKey: newIdempotencyKey() })
}

/** 确认已阅: the next person on duty has read the note. */
export function acknowledgeHandover(id: number): Promise<DutyHandoverView> {
  return request<DutyHandoverView>(`${DUTY}/handovers/${id}/ack`, { method: 'POST', idempotencyKey: newIdempotencyKey() })
}
