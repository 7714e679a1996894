import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { TicketStatus, Urgency, type TicketSummaryView } from '@qihu/contracts'
import Countdown from '../countdown'
import { ticketPage } from '../../services/routes'
import './index.css'

interface Props {
  ticket: TicketSummaryView
  /** When the list arrived and the page's ticking clock, for the countdown. */
  receivedAt: number
  now: number
  /** Staff see whose request it is; the requester knows. */
  showFirm?: boolean
}

const CLOSED: readonly TicketStatus[] = [TicketStatus.Closed, TicketStatus.Cancelled]

/** One ticket in a list: what, whose, its state, who holds it and the time left. Tap: its detail. */
export default function TicketCard({ ticket, receivedAt, now, showFirm }: Props) {
  const open = () => void Taro.navigateTo({ url: ticketPage(ticket.id) })
  return (
    <View className='ticket-card' onClick={open}>
      <View className='ticket-card__head'>
        <Text className='ticket-card__category'>{ticket.categoryName}</Text>
        {ticket.urgency !== Urgency.Normal && (
          <Text className={`ticket-card__urgency ticket-card__urgency--${ticket.urgency}`}>{ticket.urgencyLabel}</Text>
        )}
        {ticket.supervised && <Text className='ticket-card__supervised'>督办</Text>}
        <Text className={`ticket-card__status ticket-card__status--${ticket.status}`}>{ticket.statusLabel}</Text>
      </View>
      {showFirm && <Text className='ticket-card__firm'>{ticket.firmName}</Text>}
      {ticket.description && <Text className='ticket-card__description'>{ticket.description}</Text>}
      <View className='ticket-card__foot'>
        <Text className='ticket-card__holder'>
          {CLOSED.includes(ticket.status) ? ticket.number : `${ticket.levelLabel}：${ticket.holderName ?? '待分派'}`}
        </Text>
        {ticket.deadline && <Countdown deadline={ticket.deadline} receivedAt={receivedAt} now={now} />}
      </View>
    </View>
  )
}
