import { Text, View } from '@tarojs/components'
import { Role, type AttachmentView, type TicketEventView } from '@qihu/contracts'
import { formatTime } from '../../../../services/format'
import Attachments from './attachments'

interface Props {
  events: TicketEventView[]
  attachments: AttachmentView[]
}

/** What one event adds beyond its name: the rating, or the reason / note / comment. */
function detailOf(event: TicketEventView): string | null {
  const rating = typeof event.data?.rating === 'number' ? `${'★'.repeat(event.data.rating)} ${event.data.rating}星` : null
  return [rating, event.note].filter(Boolean).join('，') || null
}

/** Who did it: a name, 系统 for the SLA clock, 匿名 for a worker who stays anonymous to their firm. */
const actorOf = (event: TicketEventView) => event.actorName ?? (event.actor === Role.System ? '系统' : '匿名')

/** 处理记录: newest first, who did what at which level, with the photos that came with it. */
export default function Timeline({ events, attachments }: Props) {
  const newestFirst = [...events].reverse()
  return (
    <View className='timeline'>
      {newestFirst.map((event, index) => {
        const detail = detailOf(event)
        return (
          <View key={event.id} className={index === 0 ? 'timeline__item timeline__item--latest' : 'timeline__item'}>
            <View className='timeline__dot' />
            <View className='timeline__body'>
              <View className='timeline__head'>
                <Text className='timeline__type'>{event.typeLabel}</Text>
                <Text className='timeline__time'>{formatTime(event.at)}</Text>
              </View>
              <Text className='timeline__actor'>{`${actorOf(event)} · ${event.levelLabel}`}</Text>
              {detail && <Text className='timeline__note'>{detail}</Text>}
              <Attachments items={attachments.filter((a) => a.eventId === event.id)} />
            </View>
          </View>
        )
      })}
    </View>
  )
}
