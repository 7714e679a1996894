import { useEffect, useRef, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import type { IntakeDefaultsView, TicketView } from '@qihu/contracts'
import { messageOf } from '../../services/roles'
import {
  createTicket,
  getIntakeDefaults,
  getTicket,
  newIdempotencyKey,
} from '../../services/tickets'

/** The firm contact's (and worker's) home: one tap raises a request for their firm. */
export default function OneTap() {
  const [defaults, setDefaults] = useState<IntakeDefaultsView | null>(null)
  const [ticket, setTicket] = useState<TicketView | null>(null)
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
      setTicket(await createTicket({ categoryId: defaults.categoryId }, newIdempotencyKey()))
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
          <Text className='refresh-link' onClick={refresh}>
            刷新
          </Text>
        </View>
      )}
    </View>
  )
}
