import { useEffect, useRef, useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { DispatchListItemView } from '@qihu/contracts'
import { useNow } from '../../../../components/countdown'
import { listDispatches, type DispatchListState } from '../../../../services/dispatch'
import { useOnReturn } from '../../../../services/page-hooks'
import { messageOf } from '../../../../services/roles'
import { requireLogin } from '../../../../services/session'
import DispatchCard from './dispatch-card'
import './index.css'

const TABS: { key: DispatchListState; label: string; empty: string }[] = [
  { key: 'open', label: '待处理', empty: '暂无待处理的派单' },
  { key: 'all', label: '全部', empty: '暂无派单' },
]

/**
 * 派单: what has been sent to my crew, newest first, each with the firm, the place, the fault and
 * the clock it runs against (接单 while offered, 到场 once accepted). A tap opens the ticket, where
 * the crew accepts, navigates, checks in, records parts and finishes.
 */
export default function Dispatches() {
  const [state, setState] = useState<DispatchListState>('open')
  const [items, setItems] = useState<DispatchListItemView[] | null>(null)
  const [receivedAt, setReceivedAt] = useState(Date.now)
  const [error, setError] = useState<string | null>(null)
  // Only the answer to the latest load is shown: a quick change of tab can leave an older one arriving last.
  const generation = useRef(0)
  const now = useNow()

  const load = async () => {
    const mine = ++generation.current
    setError(null)
    try {
      const found = await listDispatches(state)
      if (mine !== generation.current) return
      setItems(found)
      setReceivedAt(Date.now())
    } catch (e) {
      if (mine === generation.current) setError(messageOf(e))
    }
  }

  useEffect(() => {
    if (requireLogin()) void load()
  }, [state])
  useOnReturn(() => void load())
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  const tab = TABS.find((t) => t.key === state)!
  return (
    <View className='dispatches'>
      <View className='dispatches__tabs'>
        {TABS.map((t) => (
          <Text
            key={t.key}
            className={t.key === state ? 'dispatches__tab dispatches__tab--on' : 'dispatches__tab'}
            onClick={() => setState(t.key)}
          >
            {t.label}
          </Text>
        ))}
      </View>

      {error && (
        <Text className='dispatches__error' onClick={() => void load()}>
          {`${error}（点击重试）`}
        </Text>
      )}
      {!items && !error && <Text className='dispatches__hint'>加载中…</Text>}
      {items?.length === 0 && <Text className='dispatches__hint'>{tab.empty}</Text>}
      {items?.map((dispatch) => (
        <DispatchCard key={dispatch.id} dispatch={dispatch} receivedAt={receivedAt} now={now} />
      ))}
    </View>
  )
}
