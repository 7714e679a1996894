import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { IntakeDefaultsView, TicketView } from '@qihu/contracts'
import { submitRequest } from '../../services/outbox'
import { messageOf } from '../../services/roles'
import { MY_REQUESTS_PAGE, ticketPage } from '../../services/routes'
import { getIntakeDefaults, getTicket } from '../../services/tickets'

/**
 * The firm contact's (and worker's) home: one tap raises a request for their firm. Without a
 * network the request is kept as 待发送 and goes out by itself once the network is back.
 */
export default function OneTap() {
  const [defaults, setDefaults] = useState<IntakeDefaultsView | null>(null)
  const [ticket, setTicket] = useState<TicketView | null>(null)
  const [queued, setQueued] = useState(false)
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // State updates land after the next render; a double tap arrives before that.
  const sendingRef = useRef(false)

  const loadDefaults = () => {
    setError(null)
    getIntakeDefaults().then(setDefaults, (e) => setError(messageOf(e)))
  }

  useEffect(loadDefaults, [])

  const call = async () => {
    if (!defaults || sendingRef.current) return
    sendingRef.current = true
    setSending(true)
    setError(null)
    try {
      // The firm is the caller's own: the API fills it in.
      const result = await submitRequest({ body: { categoryId: defaults.categoryId }, categoryName: defaults.categoryName })
      setTicket(result.ticket ?? null)
      setQueued(Boolean(result.queued))
    } catch (e) {
      setError(messageOf(e))
    } finally {
      sendingRef.current = false
      setSending(false)
    }
  }

  const refresh = async () => {
    if (!ticket) return
    setError(null)
    try {
      setTicket(await getTicket(ticket.id))
    } catch (e) {
      setError(messageOf(e))
    }
  }

  return (
    <View className='one-tap'>
      {defaults ? (
        <>
          <View className='intake'>
            <Text className='firm-name'>{defaults.firmName}</Text>
            <Text className='category-name'>{`诉求类别：${defaults.categoryName}`}</Text>
          </View>
          {/* Shown only once it can work: a tap before the defaults arrive would do nothing. */}
          <Button
            className={sending ? 'call-button call-button--sending' : 'call-button'}
            disabled={sending}
            onClick={call}
          >
            {sending ? '呼叫中…' : '一键呼叫'}
          </Button>
        </>
      ) : (
        !error && <Text className='loading'>加载中…</Text>
      )}

      {error && (
        <View className='error'>
          <Text className='error-message'>{error}</Text>
          {!defaults && (
            <Text className='retry-link' onClick={loadDefaults}>
              重试
            </Text>
          )}
        </View>
      )}

      {ticket && (
        <View className='ticket'>
          <Text className='ticket-number'>{`工单号：${ticket.number}`}</Text>
          <Text className='ticket-status'>{`状态：${ticket.statusLabel}`}</Text>
          <View className='ticket-links'>
            <Text className='refresh-link' onClick={refresh}>
              刷新
            </Text>
            <Text className='refresh-link' onClick={() => void Taro.navigateTo({ url: ticketPage(ticket.id) })}>
              查看详情
            </Text>
          </View>
        </View>
      )}

      {queued && (
        <View className='ticket ticket--queued'>
          <Text className='ticket-status'>网络不可用，诉求已保存为「待发送」</Text>
          <Text className='ticket-hint'>联网后将自动提交，无需重复呼叫</Text>
          <Text className='refresh-link' onClick={() => void Taro.navigateTo({ url: MY_REQUESTS_PAGE })}>
            查看我的诉求
          </Text>
        </View>
      )}
    </View>
  )
}
