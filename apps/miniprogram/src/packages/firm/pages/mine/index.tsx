import { useEffect, useState } from 'react'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useNow } from '../../../../components/countdown'
import TicketCard from '../../../../components/ticket-card'
import { formatTime } from '../../../../services/format'
import {
  dismissFailure,
  failedRequests,
  onOutboxChange,
  pendingRequests,
  sendPending,
  type FailedRequest,
  type PendingRequest,
} from '../../../../services/outbox'
import { useOnReturn } from '../../../../services/page-hooks'
import { requireLogin } from '../../../../services/session'
import { useTicketList } from '../../../../services/ticket-list'
import { listMyTickets } from '../../../../services/tickets'
import './index.css'

type Tab = 'open' | 'closed'
const TABS: { key: Tab; label: string }[] = [
  { key: 'open', label: '处理中' },
  { key: 'closed', label: '已结束' },
]

/** 我的诉求: 待发送 (raised offline) first, then the open requests; 已结束 on the other tab. */
export default function MyRequests() {
  const [tab, setTab] = useState<Tab>('open')
  const list = useTicketList((cursor) => listMyTickets(tab, cursor))
  const [pending, setPending] = useState<PendingRequest[]>(pendingRequests)
  const [failed, setFailed] = useState<FailedRequest[]>(failedRequests)
  const [sending, setSending] = useState(false)
  const now = useNow()

  useEffect(() => {
    if (!requireLogin()) return
    return onOutboxChange(() => {
      setPending(pendingRequests())
      setFailed(failedRequests())
      // A request sent meanwhile now shows among the others.
      void list.reload()
    })
  }, [])

  useEffect(() => {
    if (requireLogin()) void list.reload()
  }, [tab])

  useOnReturn(() => void list.reload())
  usePullDownRefresh(() => {
    void Promise.all([list.reload(), sendPending()]).finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => void list.loadMore())

  const sendNow = async () => {
    setSending(true)
    try {
      await sendPending()
    } finally {
      setSending(false)
    }
  }

  return (
    <View className='my-requests'>
      <View className='tabs'>
        {TABS.map((t) => (
          <Text key={t.key} className={t.key === tab ? 'tabs__item tabs__item--on' : 'tabs__item'} onClick={() => setTab(t.key)}>
            {t.label}
          </Text>
        ))}
      </View>

      {failed.map((f) => (
        <View key={f.idempotencyKey} className='outbox-card outbox-card--failed'>
          <View className='outbox-card__head'>
            <Text className='outbox-card__category'>{f.categoryName}</Text>
            <Text className='outbox-card__tag outbox-card__tag--failed'>未能提交</Text>
          </View>
          {f.description && <Text className='outbox-card__description'>{f.description}</Text>}
          <Text className='outbox-card__message'>{f.message}</Text>
          <Text className='outbox-card__action' onClick={() => dismissFailure(f.idempotencyKey)}>
            知道了
          </Text>
        </View>
      ))}

      {tab === 'open' &&
        pending.map((p) => (
          <View key={p.idempotencyKey} className='outbox-card'>
            <View className='outbox-card__head'>
              <Text className='outbox-card__category'>{p.categoryName}</Text>
              <Text className='outbox-card__tag'>待发送</Text>
            </View>
            {p.body.description && <Text className='outbox-card__description'>{p.body.description}</Text>}
            <Text className='outbox-card__message'>{`${formatTime(p.queuedAt)} 保存，联网后自动提交`}</Text>
          </View>
        ))}
      {tab === 'open' && pending.length > 0 && (
        <Text className='outbox-send' onClick={() => !sending && void sendNow()}>
          {sending ? '发送中…' : '立即发送'}
        </Text>
      )}

      {list.error && (
        <Text className='my-requests__error' onClick={() => void list.reload()}>
          {`${list.error}（点击重试）`}
        </Text>
      )}
      {!list.items && !list.error && <Text className='my-requests__hint'>加载中…</Text>}
      {list.items?.length === 0 && pending.length === 0 && (
        <Text className='my-requests__hint'>{tab === 'open' ? '暂无处理中的诉求' : '暂无已结束的诉求'}</Text>
      )}
      {list.items?.map((ticket) => (
        <TicketCard key={ticket.id} ticket={ticket} receivedAt={list.receivedAt} now={now} />
      ))}
      {list.hasMore && (
        <Text className='my-requests__more' onClick={() => void list.loadMore()}>
          {list.loadingMore ? '加载中…' : '加载更多'}
        </Text>
      )}
    </View>
  )
}
