import { useEffect, useRef, useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { DispatchState, TicketAction, TicketStatus, Urgency, type BillView, type DispatchView, type TicketView } from '@qihu/contracts'
import Countdown, { remainingAt, useNow } from '../../../../components/countdown'
import { getBill, getDispatch, listCrews, runCrewStep } from '../../../../services/dispatch'
import { formatTime } from '../../../../services/format'
import { currentPosition } from '../../../../services/location'
import { useOnReturn } from '../../../../services/page-hooks'
import { isCrew, messageOf } from '../../../../services/roles'
import { getMe, requireLogin } from '../../../../services/session'
import {
  addComment,
  getTicket,
  listTransferTargets,
  newIdempotencyKey,
  runTicketAction,
  type ClientAction,
} from '../../../../services/tickets'
import { toast } from '../../../../services/toast'
import Attachments from './attachments'
import { BillCard, DispatchCard } from './maintenance-cards'
import { ArriveSheet, DispatchSheet, FinishSheet, WorkLineSheet } from './maintenance-sheets'
import { RateSheet, TextSheet, TransferSheet, type TextSheetSpec } from './sheets'
import Timeline from './timeline'
import './index.css'

/** 补充说明 is no state change: open to everyone who sees the ticket until it is closed. */
const COMMENT = 'comment'
/** A crew's 登记 (a service item or part) and 导航 (the map to the firm): no state change either. */
const WORK_LINE = 'work_line'
const NAVIGATE = 'navigate'
type SheetKind = ClientAction | typeof COMMENT | typeof WORK_LINE | typeof NAVIGATE

const FINAL: readonly TicketStatus[] = [TicketStatus.Closed, TicketStatus.Cancelled]
/** A dispatch the crew still works: it may record lines on it. */
const WORKING: readonly DispatchState[] = [DispatchState.Accepted, DispatchState.OnSite]
/** A dispatch whose crew is not there yet: 导航 shows the way. */
const EN_ROUTE: readonly DispatchState[] = [DispatchState.Offered, DispatchState.Accepted]

/** The buttons of the requester and of staff, in this order. */
export const ACTION_LABEL: Partial<Record<SheetKind, string>> = {
  [TicketAction.Acknowledge]: '受理',
  [TicketAction.Dispatch]: '派单',
  [TicketAction.Resolve]: '办结',
  [TicketAction.Confirm]: '确认并评价',
  [TicketAction.CheckIn]: '到场签到',
  [TicketAction.Transfer]: '转办',
  [TicketAction.Return]: '退回',
  [TicketAction.Supervise]: '督办',
  [TicketAction.Reopen]: '申请重办',
  [TicketAction.Cancel]: '撤回',
  [COMMENT]: '补充说明',
}

/**
 * A crew member's buttons, in this order. The ticket lists the crew's check-in and finish as
 * `check_in` and `resolve`; a crew sends them as 到场签到 (arrive) and 完工 (finish).
 */
export const CREW_LABEL: Partial<Record<SheetKind, string>> = {
  [TicketAction.Accept]: '接单',
  [TicketAction.CheckIn]: '到场签到',
  [TicketAction.Resolve]: '完工',
  [WORK_LINE]: '登记',
  [NAVIGATE]: '导航',
  [TicketAction.Decline]: '拒单',
  [COMMENT]: '补充说明',
}

/** What the toast says once the API took it. */
const DONE: Partial<Record<SheetKind, string>> = {
  [TicketAction.Acknowledge]: '已受理',
  [TicketAction.Resolve]: '已办结',
  [TicketAction.Confirm]: '感谢评价',
  [TicketAction.CheckIn]: '已签到',
  [TicketAction.Transfer]: '已转办',
  [TicketAction.Return]: '已退回',
  [TicketAction.Supervise]: '已督办',
  [TicketAction.Reopen]: '已申请重办',
  [TicketAction.Cancel]: '已撤回',
  [COMMENT]: '已发送',
  [TicketAction.Dispatch]: '已派单',
  [TicketAction.Accept]: '已接单',
  [TicketAction.Decline]: '已拒单',
  [WORK_LINE]: '已登记',
}

const TEXT_SHEETS: Partial<Record<SheetKind, TextSheetSpec>> = {
  [TicketAction.Return]: {
    title: '退回工单',
    placeholder: '退回原因，如：不属于本网格的企业（时限不会因退回而重新计算）',
    confirmLabel: '确认退回',
    textRequired: true,
    maxLength: 500,
  },
  [TicketAction.Resolve]: {
    title: '办结',
    placeholder: '办结说明：做了什么，结果如何',
    confirmLabel: '确认办结',
    textRequired: true,
    withPhotos: true,
    maxLength: 1000,
  },
  [TicketAction.Supervise]: { title: '督办', placeholder: '督办意见', confirmLabel: '发出督办', textRequired: true, maxLength: 500 },
  [TicketAction.Reopen]: {
    title: '申请重办',
    placeholder: '问题还没有解决？请说明原因',
    confirmLabel: '提交重办',
    textRequired: true,
    maxLength: 500,
  },
  [TicketAction.Cancel]: { title: '撤回诉求', placeholder: '撤回原因（选填）', confirmLabel: '确认撤回', textRequired: false, maxLength: 500 },
  [TicketAction.Decline]: {
    title: '拒单',
    placeholder: '拒单原因，如：队员都在另一处抢修，无法按时到场（工单将退回重新派单）',
    confirmLabel: '确认拒单',
    textRequired: true,
    maxLength: 500,
  },
  [COMMENT]: {
    title: '补充说明',
    placeholder: '补充情况或回复（可只发照片）',
    confirmLabel: '发送',
    textRequired: false,
    withPhotos: true,
    maxLength: 1000,
  },
}

/** The one big button: the step that moves the ticket on. The rest (退回, 撤回 …) stay small. */
const PRIMARY: readonly SheetKind[] = [TicketAction.Acknowledge, TicketAction.Resolve, TicketAction.Confirm, TicketAction.Supervise]
const CREW_PRIMARY: readonly SheetKind[] = [TicketAction.Accept, TicketAction.CheckIn, TicketAction.Resolve]

/**
 * The buttons this caller gets now: the ticket's `actions` (the API decides), the page's own
 * `extras` (a crew's 登记 and 导航), then 补充说明 while it is open; in the order of `labels`.
 */
export function offeredActions(ticket: TicketView, labels = ACTION_LABEL, extras: SheetKind[] = []): SheetKind[] {
  const offered: string[] = [...ticket.actions, ...extras, ...(FINAL.includes(ticket.status) ? [] : [COMMENT])]
  const order = Object.keys(labels)
  // Actions of other clients (a crew's 接单 on a staff phone) are not buttons here.
  return offered.filter((a): a is SheetKind => a in labels).sort((a, b) => order.indexOf(a) - order.indexOf(b))
}

/**
 * The big button. For the holder of a ticket about a machine, 派单 to a crew is the next step;
 * for other tickets 办结 stays the big one and 派单 is there beside it.
 */
function primaryOf(buttons: SheetKind[], ticket: TicketView, crew: boolean): SheetKind | undefined {
  if (crew) return buttons.find((kind) => CREW_PRIMARY.includes(kind))
  if (ticket.equipmentCode && buttons.includes(TicketAction.Dispatch)) return TicketAction.Dispatch
  return buttons.find((kind) => PRIMARY.includes(kind))
}

/**
 * 工单详情, for the requester and for staff alike: what it is, who holds it, the live countdown to
 * its deadline, the photos and the timeline, and the buttons of what this caller may do now.
 */
export default function TicketDetail() {
  const { params } = useRouter()
  const id = Number(params.id)
  const [role] = useState(() => getMe()?.activeRole ?? null)
  const crew = isCrew(role)
  const [ticket, setTicket] = useState<TicketView | null>(null)
  const [receivedAt, setReceivedAt] = useState(Date.now)
  const [dispatch, setDispatch] = useState<DispatchView | null>(null)
  const [dispatchReceivedAt, setDispatchReceivedAt] = useState(Date.now)
  const [bill, setBill] = useState<BillView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [sheet, setSheet] = useState<SheetKind | null>(null)
  const [busy, setBusy] = useState<SheetKind | null>(null)
  const busyRef = useRef(false)
  const refreshedAfter = useRef<string | null>(null)
  /** Only the answers to the latest read of 派单情况 and 账单 are shown. */
  const maintenanceRead = useRef(0)
  const now = useNow()

  /**
   * A dispatched ticket's 派单情况 and 账单, read again with every view of the ticket (each step
   * of the crew changes them). Without them the ticket still shows: a failure here stays quiet.
   */
  const loadMaintenance = (view: TicketView) => {
    if (!view.events.some((e) => e.type === TicketAction.Dispatch)) return
    const mine = ++maintenanceRead.current
    const latest = () => mine === maintenanceRead.current
    getDispatch(view.id).then((found) => {
      if (!latest()) return
      setDispatch(found)
      setDispatchReceivedAt(Date.now())
    }, () => undefined)
    getBill(view.id).then((found) => latest() && setBill(found), () => undefined)
  }

  const show = (view: TicketView) => {
    setTicket(view)
    setReceivedAt(Date.now())
    loadMaintenance(view)
  }

  const load = () =>
    getTicket(id).then(
      (view) => {
        setError(null)
        show(view)
      },
      (e) => setError(messageOf(e)),
    )

  useEffect(() => {
    if (requireLogin()) void load()
  }, [id])
  useOnReturn(() => void load())
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  // The deadline has just passed: the SLA clock escalates it on the server; show the new holder.
  const overdueDeadline = ticket?.deadline && remainingAt(ticket.deadline, receivedAt, now) < 0 ? ticket.deadline.dueAt : null
  useEffect(() => {
    if (!overdueDeadline || refreshedAfter.current === overdueDeadline) return
    refreshedAfter.current = overdueDeadline
    const timer = setTimeout(() => void load(), 2000)
    return () => clearTimeout(timer)
  }, [overdueDeadline])

  /** Sends one action; `idempotencyKey` per tap, so request's retries cannot apply it twice. */
  const act = async (kind: SheetKind, send: (key: string) => Promise<TicketView>, done = DONE[kind]) => {
    const view = await send(newIdempotencyKey())
    show(view)
    toast(done ?? '已提交')
    return view
  }

  /** 导航: the phone's map with the way to where the ticket is (the firm, unless the requester gave a place). */
  const navigate = async () => {
    const site = ticket?.location
    if (!site) return
    try {
      await Taro.openLocation({ latitude: site.latitude, longitude: site.longitude, name: ticket.firmName, address: site.address ?? '', scale: 16 })
    } catch {
      toast('无法打开地图，请查看企业地址')
    }
  }

  /** Buttons that need no input: 受理, 接单, 导航 and staff's 到场签到 (its position from the phone). */
  const tapNow = async (kind: SheetKind) => {
    if (busyRef.current) return
    busyRef.current = true
    setBusy(kind)
    try {
      if (kind === TicketAction.Acknowledge || kind === TicketAction.Accept) {
        await act(kind, (key) => runTicketAction(id, kind, undefined, key))
      } else if (kind === NAVIGATE) {
        await navigate()
      } else if (kind === TicketAction.CheckIn) {
        const here = await currentPosition().catch(() => null)
        if (!here) {
          toast('无法获取当前位置，请检查定位权限后重试')
          return
        }
        await act(kind, (key) => runTicketAction(id, TicketAction.CheckIn, here, key))
      }
    } catch (e) {
      toast(messageOf(e))
    } finally {
      busyRef.current = false
      setBusy(null)
    }
  }

  const sendText = (kind: SheetKind, text: string, photoIds: string[]) => {
    const photos = photoIds.length ? { photoIds } : {}
    switch (kind) {
      case TicketAction.Return:
      case TicketAction.Reopen:
      case TicketAction.Decline:
        return act(kind, (key) => runTicketAction(id, kind, { reason: text }, key))
      case TicketAction.Cancel:
        return act(kind, (key) => runTicketAction(id, kind, text ? { reason: text } : {}, key))
      case TicketAction.Supervise:
        return act(kind, (key) => runTicketAction(id, kind, { note: text }, key))
      case TicketAction.Resolve:
        return act(kind, (key) => runTicketAction(id, kind, { note: text, ...photos }, key))
      default:
        return act(COMMENT, (key) => addComment(id, { ...(text ? { text } : {}), ...photos }, key))
    }
  }

  if (!ticket) {
    return (
      <View className='ticket-page'>
        <Text className='ticket-page__hint' onClick={() => void load()}>
          {error ? `${error}（点击重试）` : '加载中…'}
        </Text>
      </View>
    )
  }

  // A crew keeps seeing a ticket once sent to it; only the crew of the latest dispatch works it.
  const ours = crew && dispatch !== null && dispatch.crewId === role?.crewId
  const extras: SheetKind[] = []
  if (ours && WORKING.includes(dispatch.state)) extras.push(WORK_LINE)
  // The way there, until the crew is there.
  if (ours && ticket.location && EN_ROUTE.includes(dispatch.state)) extras.push(NAVIGATE)
  const labels = crew ? CREW_LABEL : ACTION_LABEL
  const buttons = offeredActions(crew && !ours ? { ...ticket, actions: [] } : ticket, labels, extras)
  const primary = primaryOf(buttons, ticket, crew)
  const secondary = buttons.filter((kind) => kind !== primary)
  const tappedNow: SheetKind[] = crew ? [TicketAction.Accept, NAVIGATE] : [TicketAction.Acknowledge, TicketAction.CheckIn]
  const onButton = (kind: SheetKind) => (tappedNow.includes(kind) ? void tapNow(kind) : setSheet(kind))
  const generalAttachments = ticket.attachments.filter((a) => !ticket.events.some((e) => e.id === a.eventId))
  // A crew's 完工 has a sheet of its own (远程问诊, the bill goes with it).
  const textSpec = sheet && !(crew && sheet === TicketAction.Resolve) ? TEXT_SHEETS[sheet] : undefined
  // Once the repair is done the bill shows even when nothing was charged (a 远程问诊).
  const repairDone = ticket.status === TicketStatus.Resolved || FINAL.includes(ticket.status)

  return (
    <View className={buttons.length ? 'ticket-page ticket-page--with-actions' : 'ticket-page'}>
      <View className='card'>
        <View className='card__row'>
          <Text className='ticket-page__number'>{ticket.number}</Text>
          <Text className={`status status--${ticket.status}`}>{ticket.statusLabel}</Text>
        </View>
        <View className='card__row card__row--start'>
          <Text className='ticket-page__category'>{ticket.categoryName}</Text>
          {ticket.urgency !== Urgency.Normal && <Text className={`tag tag--${ticket.urgency}`}>{ticket.urgencyLabel}</Text>}
          {ticket.supervised && <Text className='tag tag--critical'>督办</Text>}
          {ticket.overdue && <Text className='tag tag--critical'>办结超时</Text>}
        </View>
        {ticket.deadline && (
          <View className='ticket-page__deadline'>
            <Countdown deadline={ticket.deadline} receivedAt={receivedAt} now={now} withLabel />
          </View>
        )}
        <Text className='ticket-page__holder'>{holderLine(ticket)}</Text>
      </View>

      <View className='card'>
        <Field label='企业' value={ticket.firmName} />
        <Field label='提交人' value={ticket.requesterName ?? (ticket.anonymous ? '匿名职工' : '—')} />
        <Field label='提交时间' value={formatTime(ticket.createdAt)} />
        {ticket.location && (
          <Field
            label='地点'
            value={ticket.location.address || `${ticket.location.latitude.toFixed(5)}, ${ticket.location.longitude.toFixed(5)}`}
          />
        )}
        {ticket.equipmentCode && <Field label='设备编号' value={ticket.equipmentCode} />}
        {ticket.rating !== null && <Field label='评价' value={`${'★'.repeat(ticket.rating)} ${ticket.rating}星`} tone='stars' />}
        {ticket.ratingComment && <Field label='评价内容' value={ticket.ratingComment} />}
        {ticket.description && <Text className='ticket-page__description'>{ticket.description}</Text>}
        <Attachments items={generalAttachments} />
      </View>

      {dispatch && <DispatchCard dispatch={dispatch} receivedAt={dispatchReceivedAt} now={now} />}
      {bill && (bill.lines.length > 0 || repairDone) && <BillCard bill={bill} />}

      <View className='card'>
        <Text className='card__title'>处理记录</Text>
        <Timeline events={ticket.events} attachments={ticket.attachments} />
      </View>

      {buttons.length > 0 && (
        <View className='action-bar'>
          {secondary.length > 0 && (
            <View className='action-bar__row'>
              {secondary.map((kind) => (
                <Text key={kind} className='action-bar__secondary' onClick={() => busy === null && onButton(kind)}>
                  {busy === kind ? '处理中…' : labels[kind]}
                </Text>
              ))}
            </View>
          )}
          {primary && (
            <Button className='action-bar__primary' disabled={busy !== null} onClick={() => onButton(primary)}>
              {busy === primary ? '处理中…' : labels[primary]}
            </Button>
          )}
        </View>
      )}

      {textSpec && sheet && (
        <TextSheet spec={textSpec} onSubmit={(text, photoIds) => sendText(sheet, text, photoIds)} onClose={() => setSheet(null)} />
      )}
      {sheet === TicketAction.Transfer && (
        <TransferSheet
          loadTargets={() => listTransferTargets(id)}
          onSubmit={(target, reason) =>
            act(TicketAction.Transfer, (key) => runTicketAction(id, TicketAction.Transfer, { toPersonId: target.personId, reason }, key))
          }
          onClose={() => setSheet(null)}
        />
      )}
      {sheet === TicketAction.Confirm && (
        <RateSheet
          summary={bill ? `本次维修费用合计 ${bill.totalYuan} 元（明细见维修账单）` : undefined}
          onSubmit={(rating, comment) =>
            act(TicketAction.Confirm, (key) =>
              runTicketAction(id, TicketAction.Confirm, { rating, ...(comment ? { comment } : {}) }, key),
            )
          }
          onClose={() => setSheet(null)}
        />
      )}
      {sheet === TicketAction.Dispatch && (
        <DispatchSheet
          loadCrews={listCrews}
          onSubmit={(crewId, note) =>
            act(TicketAction.Dispatch, (key) =>
              runTicketAction(id, TicketAction.Dispatch, { ...(crewId ? { crewId } : {}), ...(note ? { note } : {}) }, key),
            )
          }
          onClose={() => setSheet(null)}
        />
      )}
      {crew && sheet === TicketAction.CheckIn && (
        <ArriveSheet
          onSubmit={(proof) => act(TicketAction.CheckIn, (key) => runCrewStep(id, 'arrive', proof, key))}
          onClose={() => setSheet(null)}
        />
      )}
      {sheet === WORK_LINE && (
        <WorkLineSheet onSubmit={(line) => act(WORK_LINE, (key) => runCrewStep(id, 'work-lines', line, key))} onClose={() => setSheet(null)} />
      )}
      {crew && sheet === TicketAction.Resolve && (
        <FinishSheet
          onSite={dispatch?.state === DispatchState.OnSite}
          onSubmit={(body) => act(TicketAction.Resolve, (key) => runCrewStep(id, 'finish', body, key), '已完工')}
          onClose={() => setSheet(null)}
        />
      )}
    </View>
  )
}

/** Who has it now; once it is over, who handled it last. */
function holderLine(ticket: TicketView): string {
  const over = FINAL.includes(ticket.status)
  if (ticket.holder) return `${over ? '处理人' : '当前处理'}：${ticket.holder.levelLabel} ${ticket.holder.name}`
  return over ? `处理层级：${ticket.levelLabel}` : '当前处理：暂无值班人员，已通知社区管理员'
}

function Field({ label, value, tone }: { label: string; value: string; tone?: 'stars' }) {
  return (
    <View className='field'>
      <Text className='field__label'>{label}</Text>
      <Text className={tone ? `field__value field__value--${tone}` : 'field__value'}>{value}</Text>
    </View>
  )
}
