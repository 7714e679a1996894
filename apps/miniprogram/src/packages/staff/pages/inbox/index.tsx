import { useEffect, useState } from 'react'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useNow } from '../../../../components/countdown'
import TicketCard from '../../../../components/ticket-card'
import { useOnReturn } from '../../../../services/page-hooks'
import { requireLogin } from '../../../../services/session'
import { useTicketList } from '../../../../services/ticket-list'
import { listInbox, type TicketStatusFilter } from '../../../../services/tickets'
import './index.css'

const STATUS_TABS: { key: TicketStatusFilter; label: string }[] = [
  { key: 'open', label: '待处理' },
  { key: 'closed', label: '已结束' },
]

/**
 * 待办工单: the tickets in my scope, the soonest deadline first, each with its countdown;
 * 「只看我的」 narrows to those I hold.
 */
export default function Inbox() {
  const [status, setStatus] = useState<TicketStatusFilter>('open')
  const [onlyMine, setOnlyMine] = useState(false)
  const list = useTicketList((cursor) => listInbox(onlyMine ? 'me' : 'all', status, cursor))
  const now = useNow()

  useEffect(() => {
    if (requireLogin()) void list.reload()
  }, [status, onlyMine])

  useOnReturn(() => void list.reload())
  usePullDownRefresh(() => {
    void list.reload().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => void list.loadMore())

  return (
    <View className='inbox'>
      <View className='inbox__filters'>
        <View className='inbox__tabs'>
          {STATUS_TABS.map((t) => (
            <Text
              key={t.key}
              className={t.key === status ? 'inbox__tab inbox__tab--on' : 'inbox__tab'}
              onClick={() => setStatus(t.key)}
            >
              {t.label}
            </Text>
          ))}
        </View>
        <Text className={onlyMine ? 'inbox__mine inbox__mine--on' : 'inbox__mine'} onClick={() => setOnlyMine(!onlyMine)}>
          {onlyMine ? '✓ 只看我的' : '只看我的'}
        </Text>
      </View>

      {list.error && (
        <Text className='inbox__error' onClick={() => void list.reload()}>
          {`${list.error}（点击重试）`}
        </Text>
      )}
      {!list.items && !list.error && <Text className='inbox__hint'>加载中…</Text>}
      {list.items?.length === 0 && (
        <Text className='inbox__hint'>{status === 'open' ? '暂无待处理的工单' : '暂无已结束的工单'}</Text>
      )}
      {list.items?.map((ticket) => (
        <TicketCard key={ticket.id} ticket={ticket} receivedAt={list.receivedAt} now={now} showFirm />
      ))}
      {list.hasMore && (
        <Text className='inbox__more' onClick={() => void list.loadMore()}>
          {list.loadingMore ? '加载中…' : '加载更多'}
        </Text>
      )}
    </View>
  )
}
