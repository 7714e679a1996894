import { useEffect, useState } from 'react'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { NotificationView } from '@qihu/contracts'
import { formatTime } from '../../../../services/format'
import { listNotifications, markAllRead, markRead } from '../../../../services/notifications'
import { messageOf } from '../../../../services/roles'
import { ticketPage } from '../../../../services/routes'
import { requireLogin } from '../../../../services/session'
import { toastError } from '../../../../services/toast'
import SubscribeCard from './subscribe-card'
import './index.css'

/** Where a notification leads: its ticket, or the page the API named. */
export function targetOf(item: NotificationView): string | null {
  if (item.ticketId !== null) return ticketPage(item.ticketId)
  return item.page ? `/${item.page.replace(/^\//, '')}` : null
}

/** 消息通知: newest first, unread marked; a tap reads it and opens its ticket. */
export default function Notifications() {
  const [items, setItems] = useState<NotificationView[] | null>(null)
  const [unread, setUnread] = useState(0)
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = async () => {
    try {
      const page = await listNotifications()
      setItems(page.items)
      setUnread(page.unreadCount)
      setCursor(page.nextCursor)
      setError(null)
    } catch (e) {
      setError(messageOf(e))
    }
  }

  useEffect(() => {
    if (requireLogin()) void load()
  }, [])
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    if (!cursor) return
    listNotifications(cursor).then((page) => {
      setItems((current) => [...(current ?? []), ...page.items])
      setCursor(page.nextCursor)
      setUnread(page.unreadCount)
    }, toastError)
  })

  const markLocally = (ids: number[] | 'all') => {
    const readAt = new Date().toISOString()
    setItems((current) => current?.map((n) => (ids === 'all' || ids.includes(n.id) ? { ...n, readAt: n.readAt ?? readAt } : n)) ?? null)
  }

  const open = (item: NotificationView) => {
    if (!item.readAt) {
      markLocally([item.id])
      setUnread((n) => Math.max(0, n - 1))
      markRead(item.id).catch(() => undefined)
    }
    const url = targetOf(item)
    if (url) void Taro.navigateTo({ url })
  }

  const readAll = async () => {
    try {
      const result = await markAllRead()
      markLocally('all')
      setUnread(result.unreadCount)
    } catch (e) {
      toastError(e)
    }
  }

  return (
    <View className='notifications'>
      <SubscribeCard />
      <View className='notifications__bar'>
        <Text className='notifications__count'>{unread > 0 ? `${unread} 条未读` : '没有未读消息'}</Text>
        {unread > 0 && (
          <Text className='notifications__read-all' onClick={() => void readAll()}>
            全部已读
          </Text>
        )}
      </View>

      {error && (
        <Text className='notifications__error' onClick={() => void load()}>
          {`${error}（点击重试）`}
        </Text>
      )}
      {!items && !error && <Text className='notifications__hint'>加载中…</Text>}
      {items?.length === 0 && <Text className='notifications__hint'>暂无消息</Text>}
      {items?.map((item) => (
        <View key={item.id} className={item.readAt ? 'notice' : 'notice notice--unread'} onClick={() => open(item)}>
          <View className='notice__head'>
            {!item.readAt && <View className='notice__dot' />}
            <Text className='notice__title'>{item.title}</Text>
            <Text className='notice__time'>{formatTime(item.createdAt)}</Text>
          </View>
          {item.body && <Text className='notice__body'>{item.body}</Text>}
        </View>
      ))}
    </View>
  )
}
