import { act, fireEvent, render, screen } from '@testing-library/react'
import { DutyScopeKind, ErrorCode, ShiftSource, type DutyHandoverView, type DutyShiftView } from '@qihu/contracts'
import Duty from '../index'
import { hoursLabel, shiftToHandOver, twoWeeks } from '../shifts'
import { resetSessionCache, saveSession } from '../../../../../services/session'
import { callsTo, flush, ok, refused, serve } from '../../../../../testing/api'
import { typeInto } from '../../../../../testing/dom'
import { resetFakeTaro } from '../../../../../testing/fake-taro'
import { GRID_MEMBER, meView, session } from '../../../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../../../testing/fake-taro'))

const ME = meView([GRID_MEMBER], { id: 31, name: '张网格' })
/** Wednesday 25 November 2026, 19:00 on the phone. */
const NOW = new Date(2026, 10, 25, 19, 0)
const at = (day: number, hour: number) => new Date(2026, 10, day, hour, 0).toISOString()

function shift(id: number, startsAt: string, endsAt: string, overrides: Partial<DutyShiftView> = {}): DutyShiftView {
  return {
    id,
    scopeKind: DutyScopeKind.Grid,
    scopeId: 2,
    communityId: 1,
    scopeName: '第一网格',
    level: 0,
    levelLabel: '网格员',
    personId: ME.id,
    personName: '张网格',
    backupPersonId: 33,
    backupPersonName: '李兼职',
    startsAt,
    endsAt,
    source: ShiftSource.Template,
    templateId: 1,
    note: '',
    cancelledAt: null,
    ...overrides,
  }
}

/** On now, ends at 20:00: its handover may be written. */
const TONIGHT = shift(3, at(25, 8), at(25, 20))
const SHIFTS = [
  shift(1, at(23, 8), at(23, 20)),
  shift(2, at(24, 20), at(25, 8), { personId: 40, personName: '王网格', backupPersonId: ME.id, backupPersonName: '张网格' }),
  TONIGHT,
  shift(4, at(30, 8), at(30, 20), { source: ShiftSource.Override }),
]
const FROM_WANG: DutyHandoverView = {
  id: 5,
  shift: shift(9, at(24, 20), at(25, 8), { personId: 40, personName: '王网格' }),
  fromPersonId: 40,
  fromPersonName: '王网格',
  note: '恒达精密机械消防通道堵塞，已通知整改，今天复查',
  createdAt: at(25, 7),
  acknowledgedBy: null,
  acknowledgedByName: null,
  acknowledgedAt: null,
}

function serveDuty(extra: Record<string, Parameters<typeof serve>[0][string]> = {}, readable: DutyHandoverView[] = []) {
  const { from, to } = twoWeeks(NOW)
  serve({
    [`GET /duty/shifts?mine=true&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`]: () => ok(SHIFTS),
    'GET /duty/handovers?mine=true': () => ok([FROM_WANG]),
    'GET /duty/handovers': () => ok(readable),
    ...extra,
  })
}

/** Only the clock is fixed: timers stay real for React and Taro's components. */
const REAL_TIMERS = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const

beforeEach(() => {
  jest.useFakeTimers({ now: NOW, doNotFake: [...REAL_TIMERS] })
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(ME))
})

afterEach(() => jest.useRealTimers())

it('lists my shifts of this week and next: the one on now, where I am only the backup, a 替班', async () => {
  serveDuty()
  render(<Duty />)

  expect(await screen.findByText('本周')).toBeTruthy()
  expect(screen.getByText('下周')).toBeTruthy()
  const days = [...document.querySelectorAll('.shift__day')].map((el) => el.textContent)
  expect(days).toEqual(['11月23日 周一', '11月24日 周二', '11月25日 周三', '11月30日 周一'])
  expect(screen.getByText('20:00–次日08:00')).toBeTruthy()
  expect(screen.getByText('值班中')).toBeTruthy()
  expect(document.querySelector('.shift--on .shift__day')?.textContent).toBe('11月25日 周三')
  expect(screen.getByText('备班')).toBeTruthy()
  expect(screen.getByText('值班：王网格')).toBeTruthy()
  expect(screen.getByText('替班')).toBeTruthy()
})

it('shows the note from the shift before mine; 确认已阅 acknowledges it', async () => {
  serveDuty({ 'POST /duty/handovers/5/ack': () => ok({ ...FROM_WANG, acknowledgedBy: ME.id, acknowledgedByName: '张网格', acknowledgedAt: at(25, 19) }) })
  render(<Duty />)

  expect(await screen.findByText('恒达精密机械消防通道堵塞，已通知整改，今天复查')).toBeTruthy()
  fireEvent.click(screen.getByText('确认已阅'))
  await act(flush)

  expect(callsTo('POST /duty/handovers/5/ack')).toHaveLength(1)
  expect(screen.queryByText('确认已阅')).toBeNull()
  expect(screen.getByText(/^已确认 /)).toBeTruthy()
})

it('offers to write the handover in the last two hours of my shift, and sends it for that shift', async () => {
  serveDuty({
    'POST /duty/handovers': (o) =>
      ok({ ...FROM_WANG, id: 6, shift: TONIGHT, fromPersonId: ME.id, fromPersonName: '张网格', note: o.data.note }, 201),
  })
  render(<Duty />)
  await screen.findByText('写交接 · 第一网格 08:00–20:00')

  await typeInto(/^交给下一班/, '华越包装的投诉已受理，明早上门')
  fireEvent.click(screen.getByText('提交交接'))
  await act(flush)

  const [sent] = callsTo('POST /duty/handovers')
  expect(sent.data).toEqual({ shiftId: 3, note: '华越包装的投诉已受理，明早上门' })
  expect(sent.header['Idempotency-Key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
  expect(screen.getByText('更新交接')).toBeTruthy()
})

it("shows the API's message when the handover is refused", async () => {
  serveDuty({ 'POST /duty/handovers': () => refused(400, ErrorCode.ValidationFailed, '交接班记录须在下班前后 2 小时内填写') })
  render(<Duty />)
  await screen.findByText('提交交接')

  await typeInto(/^交给下一班/, '无')
  fireEvent.click(screen.getByText('提交交接'))
  await act(flush)

  expect(screen.getByText('交接班记录须在下班前后 2 小时内填写')).toBeTruthy()
})

it('shows my handover read-only once the next person has confirmed it', async () => {
  const confirmed = { ...FROM_WANG, id: 6, shift: TONIGHT, fromPersonId: ME.id, note: '一切正常', acknowledgedBy: 40, acknowledgedByName: '王网格', acknowledgedAt: at(25, 19) }
  serveDuty({}, [confirmed])
  render(<Duty />)

  expect(await screen.findByText('一切正常')).toBeTruthy()
  expect(screen.getByText(/^王网格 已确认 /)).toBeTruthy()
  expect(screen.queryByText('提交交接')).toBeNull()
  expect(screen.queryByText('更新交接')).toBeNull()
})

describe('shift arithmetic', () => {
  it('two weeks start on this Monday at midnight', () => {
    const { from, nextWeek, to } = twoWeeks(new Date(2026, 10, 29, 23, 0)) // a Sunday
    expect(from).toEqual(new Date(2026, 10, 23))
    expect(nextWeek).toEqual(new Date(2026, 10, 30))
    expect(to).toEqual(new Date(2026, 11, 7))
  })

  it('labels day, overnight and multi-day hours', () => {
    expect(hoursLabel(shift(1, at(23, 8), at(23, 20)))).toBe('08:00–20:00')
    expect(hoursLabel(shift(1, at(23, 20), at(24, 8)))).toBe('20:00–次日08:00')
    expect(hoursLabel(shift(1, at(23, 8), at(25, 8)))).toBe('08:00–11月25日 周三 08:00')
  })

  it('opens the handover from two hours before the end of my own shift to two hours after', () => {
    const mine = [TONIGHT]
    expect(shiftToHandOver(mine, ME.id, new Date(2026, 10, 25, 17, 59).getTime())).toBeNull()
    expect(shiftToHandOver(mine, ME.id, new Date(2026, 10, 25, 18, 0).getTime())).toBe(TONIGHT)
    expect(shiftToHandOver(mine, ME.id, new Date(2026, 10, 25, 22, 0).getTime())).toBe(TONIGHT)
    expect(shiftToHandOver(mine, ME.id, new Date(2026, 10, 25, 22, 1).getTime())).toBeNull()
    // Not for a shift I only back up.
    expect(shiftToHandOver(mine, 40, new Date(2026, 10, 25, 19, 0).getTime())).toBeNull()
  })
})
