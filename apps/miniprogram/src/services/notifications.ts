import type {
  NotificationKind,
  NotificationListView,
  NotificationTemplateView,
  ReadAllNotificationsView,
  SubscriptionAnswerRequest,
} from '@qihu/contracts'
import { request } from './request'
import { newIdempotencyKey } from './tickets'

const NOTIFICATIONS = '/api/v1/notifications'

/** 消息通知, newest first; `unreadCount` counts all of mine, not only this page. */
export function listNotifications(cursor?: string): Promise<NotificationListView> {
  return request<NotificationListView>(cursor ? `${NOTIFICATIONS}?cursor=${encodeURIComponent(cursor)}` : NOTIFICATIONS)
}

/** The badge: only the count is needed. */
export async function unreadCount(): Promise<number> {
  return (await request<NotificationListView>(`${NOTIFICATIONS}?limit=1`)).unreadCount
}

export function markRead(id: number): Promise<unknown> {
  return request(`${NOTIFICATIONS}/${id}/read`, { method: 'POST', idempotencyKey: newIdempotencyKey() })
}

export function markAllRead(): Promise<ReadAllNotificationsView> {
  return request<ReadAllNotificationsView>(`${NOTIFICATIONS}/read-all`, { method: 'POST', idempotencyKey: newIdempotencyKey() })
}

/** The subscribe-message templates, with what I answered for each kind so far. */
export function listTemplates(): Promise<NotificationTemplateView[]> {
  return request<NotificationTemplateView[]>(`${NOTIFICATIONS}/templates`)
}

/** What I answered to wx.requestSubscribeMessage, so the API knows whom it may message. */
export function answerSubscriptions(kinds: NotificationKind[], accepted: boolean): Promise<NotificationTemplateView[]> {
  const body: SubscriptionAnswerRequest = { kinds, accepted }
  return request<NotificationTemplateView[]>(`${NOTIFICATIONS}/subscriptions`, {
    method: 'POST',
    data: body,
    idempotencyKey: newIdempotencyKey(),
  })
}
