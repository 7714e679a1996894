import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import { ArrivalProof, DispatchState, WorkLineKind, type BillView, type DispatchView } from '@qihu/contracts'
import Countdown, { deadlineAt } from '../../../../components/countdown'
import { formatTime, formatYuan } from '../../../../services/format'

interface DispatchCardProps {
  dispatch: DispatchView
  /** When the dispatch arrived and the page's ticking clock, for the countdowns. */
  receivedAt: number
  now: number
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <View className='field'>
      <Text className='field__label'>{label}</Text>
      {typeof children === 'string' ? <Text className='field__value'>{children}</Text> : children}
    </View>
  )
}

/** How the crew proved it was there. */
function arrivalOf(dispatch: DispatchView): string {
  const at = formatTime(dispatch.arrivedAt!)
  if (dispatch.arrivalProof === ArrivalProof.Label) return `${at} · 扫描设备二维码`
  return dispatch.distanceM === null ? `${at} · 位置签到` : `${at} · 位置签到，距企业 ${dispatch.distanceM} 米`
}

/**
 * 派单情况: which crew, where the dispatch stands, the clocks it runs against (接单 while offered,
 * 到场 until someone is on site), who accepted, the proof of arrival, and how it ended.
 */
export function DispatchCard({ dispatch, receivedAt, now }: DispatchCardProps) {
  const offered = dispatch.state === DispatchState.Offered
  const awaitingArrival = offered || dispatch.state === DispatchState.Accepted
  return (
    <View className='card dispatch'>
      <View className='card__row'>
        <Text className='card__title'>派单情况</Text>
        <Text className={`dispatch__state dispatch__state--${dispatch.state}`}>{dispatch.stateLabel}</Text>
      </View>
      <Row label='维修队'>{dispatch.auto ? `${dispatch.crewName}（自动派单）` : dispatch.crewName}</Row>
      <Row label='派单时间'>{formatTime(dispatch.dispatchedAt)}</Row>
      {dispatch.note && <Row label='派单说明'>{dispatch.note}</Row>}
      {offered && (
        <Row label='接单时限'>
          <Countdown deadline={deadlineAt('接单时限', dispatch.acceptDueAt, receivedAt)} receivedAt={receivedAt} now={now} />
        </Row>
      )}
      {awaitingArrival && !dispatch.remote && (
        <Row label='到场时限'>
          <Countdown deadline={deadlineAt('到场时限', dispatch.onSiteDueAt, receivedAt)} receivedAt={receivedAt} now={now} />
        </Row>
      )}
      {dispatch.acceptedAt && (
        <Row label='接单'>{`${dispatch.acceptedByName ?? ''} ${formatTime(dispatch.acceptedAt)}`.trim()}</Row>
      )}
      {dispatch.arrivedAt && <Row label='到场'>{arrivalOf(dispatch)}</Row>}
      {dispatch.declinedReason && <Row label='拒单原因'>{dispatch.declinedReason}</Row>}
      {dispatch.finishedAt && <Row label='完工'>{`${formatTime(dispatch.finishedAt)}${dispatch.remote ? ' · 远程问诊' : ''}`}</Row>}
    </View>
  )
}

const KIND_LABEL: Record<WorkLineKind, string> = {
  [WorkLineKind.Service]: '服务',
  [WorkLineKind.Part]: '配件',
}

/**
 * 账单: every service item and part at the price of its time; a repeat repair within warranty is
 * marked 保修 and free, naming the ticket it repeats. The firm sees it before it confirms.
 */
export function BillCard({ bill }: { bill: BillView }) {
  const waived = bill.listTotalFen - bill.totalFen
  return (
    <View className='card bill'>
      <Text className='card__title'>维修账单</Text>
      {bill.lines.length === 0 && <Text className='bill__empty'>未登记服务项目或配件</Text>}
      {bill.lines.map((line) => (
        <View key={line.id} className={line.warranty ? 'bill__line bill__line--warranty' : 'bill__line'}>
          <View className='bill__what'>
            <View className='bill__head'>
              <Text className={line.warranty ? 'bill__tag bill__tag--warranty' : 'bill__tag'}>
                {line.warranty ? '保修' : KIND_LABEL[line.kind]}
              </Text>
              <Text className='bill__name'>{line.name}</Text>
            </View>
            <Text className='bill__price'>{`${line.quantity}${line.unit} × ¥${formatYuan(line.unitPriceFen)}`}</Text>
            {line.warranty && (
              <Text className='bill__warranty'>
                {line.warrantyOfTicketNumber ? `保修期内重复维修，原工单 ${line.warrantyOfTicketNumber}` : '保修期内重复维修'}
              </Text>
            )}
          </View>
          <Text className='bill__amount'>{line.warranty ? '免费' : `¥${formatYuan(line.amountFen)}`}</Text>
        </View>
      ))}
      {waived > 0 && (
        <View className='bill__sum'>
          <Text className='bill__sum-label'>{`原价 ¥${formatYuan(bill.listTotalFen)}`}</Text>
          <Text className='bill__sum-label'>{`保修减免 ¥${formatYuan(waived)}`}</Text>
        </View>
      )}
      <View className='bill__total'>
        <Text className='bill__total-label'>应付合计</Text>
        <Text className='bill__total-value'>{`${bill.totalYuan} 元`}</Text>
      </View>
    </View>
  )
}
