import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { DispatchState, type DispatchListItemView } from '@qihu/contracts'
import Countdown, { deadlineAt } from '../../../../components/countdown'
import { formatTime } from '../../../../services/format'
import { ticketPage } from '../../../../services/routes'

interface Props {
  dispatch: DispatchListItemView
  /** When the list arrived and the page's ticking clock, for the countdown. */
  receivedAt: number
  now: number
}

/** The clock the crew works against now: accept while offered, be on site once accepted; else what happened when. */
function DispatchClock({ dispatch, receivedAt, now }: Props) {
  switch (dispatch.state) {
    case DispatchState.Offered:
      return <Countdown deadline={deadlineAt('接单时限', dispatch.acceptDueAt, receivedAt)} receivedAt={receivedAt} now={now} withLabel />
    case DispatchState.Accepted:
      return <Countdown deadline={deadlineAt('到场时限', dispatch.onSiteDueAt, receivedAt)} receivedAt={receivedAt} now={now} withLabel />
    case DispatchState.OnSite:
      return <Text className='dispatch-card__when'>{`${formatTime(dispatch.arrivedAt!)} 到场`}</Text>
    case DispatchState.Finished:
      return <Text className='dispatch-card__when'>{`${formatTime(dispatch.finishedAt!)} 完工`}</Text>
    default:
      return <Text className='dispatch-card__when'>{`${formatTime(dispatch.dispatchedAt)} 派单`}</Text>
  }
}

/** One dispatch: whose machine, where, what, its state and the clock. Tap: the ticket. */
export default function DispatchCard({ dispatch, receivedAt, now }: Props) {
  return (
    <View className='dispatch-card' onClick={() => void Taro.navigateTo({ url: ticketPage(dispatch.ticketId) })}>
      <View className='dispatch-card__head'>
        <Text className='dispatch-card__category'>{dispatch.categoryName}</Text>
        <Text className={`dispatch-card__state dispatch-card__state--${dispatch.state}`}>{dispatch.stateLabel}</Text>
      </View>
      <Text className='dispatch-card__firm'>{dispatch.firmName}</Text>
      {dispatch.address && <Text className='dispatch-card__address'>{dispatch.address}</Text>}
      {dispatch.equipmentCode && <Text className='dispatch-card__equipment'>{`设备 ${dispatch.equipmentCode}`}</Text>}
      {dispatch.description && <Text className='dispatch-card__description'>{dispatch.description}</Text>}
      <View className='dispatch-card__foot'>
        <Text className='dispatch-card__number'>{dispatch.ticketNumber}</Text>
        <DispatchClock dispatch={dispatch} receivedAt={receivedAt} now={now} />
      </View>
    </View>
  )
}
