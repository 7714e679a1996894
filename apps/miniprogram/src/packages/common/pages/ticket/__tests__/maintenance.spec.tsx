import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import {
  ArrivalProof,
  DeadlineKind,
  DispatchState,
  ErrorCode,
  TicketAction,
  TicketStatus,
  WorkLineKind,
  type TicketView,
} from '@qihu/contracts'
import TicketDetail from '../index'
import { resetSessionCache, saveSession } from '../../../../../services/session'
import { callsTo, flush, ok, refused, serve, type Route } from '../../../../../testing/api'
import { typeInto } from '../../../../../testing/dom'
import { fakeTaro, resetFakeTaro, setRouterParams } from '../../../../../testing/fake-taro'
import {
  ARRIVED,
  CREW_MEMBER,
  FIRM_CONTACT,
  GRID_MEMBER,
  billView,
  deadline,
  dispatchView,
  meView,
  session,
  ticketView,
} from '../../../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../../../testing/fake-taro'))

const KEY = /^[A-Za-z0-9_-]{8,64}$/
const SITE = { latitude: 29.9612, longitude: 121.7125, address: '北仑区大港工业城 8 号' }

/** Ticket 7 about machine EQ000001, after `events` beyond its creation. */
function equipmentTicket(overrides: Partial<TicketView> = {}, events: string[] = []): TicketView {
  const base = ticketView()
  return ticketView({
    categoryName: '设备故障',
    equipmentCode: 'EQ000001',
    location: SITE,
    events: [...base.events, ...events.map((type, i) => ({ ...base.events[0], id: 101 + i, type, typeLabel: type }))],
    ...overrides,
  })
}

const ACKNOWLEDGED = equipmentTicket({
  status: TicketStatus.Acknowledged,
  statusLabel: '已受理',
  deadline: deadline(24 * 3600_000, DeadlineKind.Resolve),
  actions: [TicketAction.Dispatch, TicketAction.CheckIn, TicketAction.Resolve, TicketAction.Transfer],
})
const DISPATCHED = equipmentTicket(
  { status: TicketStatus.Dispatched, statusLabel: '已派单', deadline: deadline(25 * 60_000, DeadlineKind.OnSite), actions: [TicketAction.Accept, TicketAction.Decline] },
  ['dispatch'],
)
const ACCEPTED = equipmentTicket(
  { status: TicketStatus.Accepted, statusLabel: '已接单', deadline: deadline(20 * 60_000, DeadlineKind.OnSite), actions: [TicketAction.Decline, TicketAction.CheckIn, TicketAction.Resolve] },
  ['dispatch', 'accept'],
)
const ON_SITE = equipmentTicket(
  { status: TicketStatus.OnSite, statusLabel: '已到场', deadline: deadline(20 * 3600_000, DeadlineKind.Resolve), actions: [TicketAction.Resolve] },
  ['dispatch', 'accept', 'check_in'],
)
const RESOLVED = equipmentTicket(
  { status: TicketStatus.Resolved, statusLabel: '已办结', deadline: deadline(72 * 3600_000, DeadlineKind.Confirm), actions: [TicketAction.Confirm, TicketAction.Reopen] },
  ['dispatch', 'accept', 'check_in', 'work_line', 'resolve'],
)

const accepted = dispatchView({ state: DispatchState.Accepted, stateLabel: '已接单', acceptedAt: '2026-11-23T02:05:00.000Z', acceptedByName: '周师傅' })
const onSite = dispatchView({ ...accepted, state: DispatchState.OnSite, stateLabel: '已到场', ...ARRIVED })

/** The ticket page for ticket 7: `view` from GET /tickets/7, its dispatch and bill, and the given routes. */
async function open(view: TicketView, routes: Record<string, Route> = {}, dispatch = dispatchView(), bill = billView({ lines: [], listTotalFen: 0, totalFen: 0, totalYuan: '0.00' })) {
  serve({
    'GET /tickets/7': () => ok(view),
    'GET /tickets/7/dispatch': () => ok(dispatch),
    'GET /tickets/7/bill': () => ok(bill),
    ...routes,
  })
  setRouterParams({ id: '7' })
  render(<TicketDetail />)
  await screen.findByText(view.number)
  await act(flush)
}

async function tap(label: string) {
  fireEvent.click(screen.getByText(label))
  await act(flush)
  await act(flush)
}

/** Opens 登记 once its code and quantity fields are drawn (Taro's H5 <Input> renders its field late). */
async function openWorkLine() {
  await tap('登记')
  await waitFor(() => expect(document.querySelectorAll('.work-line__entry input')).toHaveLength(2))
}

const primary = () => document.querySelector('.action-bar__primary')?.textContent
const secondary = () => [...document.querySelectorAll('.action-bar__secondary')].map((el) => el.textContent)

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(meView([GRID_MEMBER])))
})

describe('the holder dispatches', () => {
  const crews = [
    { id: 3, name: '电气维修一队', skills: ['electrical'], gridIds: [], members: [{ personId: 61, name: '周师傅' }, { personId: 62, name: '吴师傅' }], onDuty: true },
    { id: 4, name: '机械维修二队', skills: ['hydraulic', 'mechanical'], gridIds: [2], members: [{ personId: 63, name: '郑师傅' }], onDuty: false },
  ]

  it('派单 is the big button for a machine; by default it goes to the on-duty crew with the skill (no crewId)', async () => {
    await open(ACKNOWLEDGED, { 'GET /crews': () => ok(crews), 'POST /tickets/7/dispatch': () => ok(DISPATCHED) })

    expect(primary()).toBe('派单')
    expect(secondary()).toEqual(['办结', '到场签到', '转办', '补充说明'])
    // Never dispatched: no 派单情况, no bill asked for.
    expect(callsTo('GET /tickets/7/dispatch')).toEqual([])
    await tap('派单')
    expect(screen.getByText('电气维修一队')).toBeTruthy()
    expect(screen.getByText('电气 · 2人')).toBeTruthy()
    expect(screen.getByText('液压、机械 · 1人')).toBeTruthy()
    expect(screen.getByText('值班中')).toBeTruthy()
    expect(screen.getByText('未值班')).toBeTruthy()
    await tap('自动派单')

    const [sent] = callsTo('POST /tickets/7/dispatch')
    expect(sent.data).toEqual({})
    expect(sent.header['Idempotency-Key']).toMatch(KEY)
    expect(screen.getByText('已派单')).toBeTruthy()
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已派单' }))
    // Now dispatched: the page reads the dispatch and shows it.
    expect(callsTo('GET /tickets/7/dispatch')).toHaveLength(1)
    expect(screen.getByText('派单情况')).toBeTruthy()
  })

  it('or to the crew picked, with a note', async () => {
    await open(ACKNOWLEDGED, { 'GET /crews': () => ok(crews), 'POST /tickets/7/dispatch': () => ok(DISPATCHED) })

    await tap('派单')
    fireEvent.click(screen.getByText('机械维修二队'))
    await typeInto(/^派单说明/, '带 6205 轴承')
    await tap('派给 机械维修二队')

    expect(callsTo('POST /tickets/7/dispatch')[0].data).toEqual({ crewId: 4, note: '带 6205 轴承' })
  })

  it("keeps the sheet open with the API's message when no crew can take it", async () => {
    await open(ACKNOWLEDGED, {
      'GET /crews': () => ok(crews),
      'POST /tickets/7/dispatch': () => refused(404, ErrorCode.CrewNotFound, '当前没有具备该设备维修技能的值班维修队，请手动选择维修队'),
    })

    await tap('派单')
    await tap('自动派单')

    expect(screen.getByText('当前没有具备该设备维修技能的值班维修队，请手动选择维修队')).toBeTruthy()
    expect(screen.getByText('自动派单')).toBeTruthy()
  })

  it('without a machine on the ticket 办结 stays the big button, 派单 beside it', async () => {
    await open({ ...ACKNOWLEDGED, equipmentCode: null })

    expect(primary()).toBe('办结')
    expect(secondary()).toContain('派单')
  })

  it('shows 派单情况: the crew, its state and the clocks to accept and to be on site', async () => {
    await open({ ...DISPATCHED, actions: [] }, {}, dispatchView({ auto: true, note: '带 6205 轴承' }))

    expect(screen.getByText('电气维修一队（自动派单）')).toBeTruthy()
    expect(screen.getByText('待接单')).toBeTruthy()
    expect(screen.getByText('带 6205 轴承')).toBeTruthy()
    expect(screen.getByText(/^剩余 (10分00秒|9分59秒)$/)).toBeTruthy()
    expect(screen.getByText(/^剩余 (25分00秒|24分59秒)$/)).toBeTruthy()
  })

  it('shows a declined dispatch with its reason and no clocks', async () => {
    const declined = { ...ACKNOWLEDGED, events: equipmentTicket({}, ['dispatch', 'decline']).events }
    await open(declined, {}, dispatchView({ state: DispatchState.Declined, stateLabel: '已拒单', declinedReason: '队员都在另一处抢修' }))
    expect(screen.getByText('已拒单')).toBeTruthy()
    expect(screen.getByText('队员都在另一处抢修')).toBeTruthy()
    expect(screen.queryByText('接单时限')).toBeNull()
    expect(screen.queryByText('到场时限')).toBeNull()
  })
})

describe('a crew member', () => {
  beforeEach(() => saveSession(session(meView([CREW_MEMBER]))))

  it('接单 with one tap; 拒单 and 导航 beside it', async () => {
    await open(DISPATCHED, { 'POST /tickets/7/accept': () => ok(ACCEPTED) })

    expect(primary()).toBe('接单')
    expect(secondary()).toEqual(['导航', '拒单', '补充说明'])
    await tap('接单')

    const [sent] = callsTo('POST /tickets/7/accept')
    expect(sent.data).toEqual({})
    expect(sent.header['Idempotency-Key']).toMatch(KEY)
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已接单' }))
    expect(screen.getByText('已接单')).toBeTruthy()
    // The dispatch is read again after each step.
    expect(callsTo('GET /tickets/7/dispatch')).toHaveLength(2)
  })

  it('拒单 needs a reason', async () => {
    await open(DISPATCHED, { 'POST /tickets/7/decline': () => ok({ ...ACKNOWLEDGED, actions: [] }) })

    await tap('拒单')
    expect(document.querySelector('.sheet__confirm--off')).toBeTruthy()
    await typeInto(/^拒单原因/, '队员都在另一处抢修')
    await tap('确认拒单')

    expect(callsTo('POST /tickets/7/decline')[0].data).toEqual({ reason: '队员都在另一处抢修' })
  })

  it('导航 opens the map at the ticket\'s place', async () => {
    await open(ACCEPTED, {}, accepted)

    await tap('导航')

    expect(fakeTaro.openLocation).toHaveBeenCalledWith({ ...SITE, name: '宁波恒达精密机械有限公司', scale: 16 })
  })

  it('到场签到 by position: sends where the phone is to /arrive (not the grid staff\'s /check-in)', async () => {
    fakeTaro.getLocation.mockResolvedValue({ latitude: 29.9613, longitude: 121.7126, accuracy: 12 })
    await open(ACCEPTED, { 'POST /tickets/7/arrive': () => ok(ON_SITE) }, accepted)

    expect(primary()).toBe('到场签到')
    expect(secondary()).toEqual(['完工', '登记', '导航', '拒单', '补充说明'])
    await tap('到场签到')
    await tap('用当前位置签到')

    const [sent] = callsTo('POST /tickets/7/arrive')
    expect(sent.data).toEqual({ latitude: 29.9613, longitude: 121.7126, accuracy: 12 })
    expect(sent.header['Idempotency-Key']).toMatch(KEY)
    expect(callsTo('POST /tickets/7/check-in')).toEqual([])
    expect(screen.getByText('已到场')).toBeTruthy()
  })

  it('shows how far off the phone is when it is outside the firm, and can scan a machine label instead', async () => {
    fakeTaro.getLocation.mockResolvedValue({ latitude: 29.99, longitude: 121.75, accuracy: 12 })
    fakeTaro.scanCode.mockResolvedValue({ result: 'qihu:e:EQ000002:Zr3kq0x8Yb2LmN4pQs7TuV' })
    const answers = [
      refused(422, ErrorCode.OutsideGeofence, '当前位置距企业约 4821 米，超出签到范围（300 米），请到达现场后再签到，或扫描设备二维码'),
      ok(ON_SITE),
    ]
    await open(ACCEPTED, { 'POST /tickets/7/arrive': () => answers.shift()! }, accepted)

    await tap('到场签到')
    await tap('用当前位置签到')
    expect(screen.getByText('当前位置距企业约 4821 米，超出签到范围（300 米），请到达现场后再签到，或扫描设备二维码')).toBeTruthy()

    fireEvent.click(screen.getByText('扫码签到'))
    await tap('扫描设备二维码')

    // The label goes as scanned: its token is the proof.
    expect(callsTo('POST /tickets/7/arrive').map((c) => c.data)).toEqual([
      { latitude: 29.99, longitude: 121.75, accuracy: 12 },
      { label: 'qihu:e:EQ000002:Zr3kq0x8Yb2LmN4pQs7TuV' },
    ])
    expect(screen.queryByText('扫描设备二维码')).toBeNull()
  })

  it('登记 picks a service item from the price list and a part from the catalogue, with quantities', async () => {
    const services = [
      { id: 1, code: 'S-ELEC-01', name: '电气故障检修', unit: '次', active: true, skill: 'electrical', skillLabel: '电气', current: { priceFen: 8000 }, upcoming: null },
      { id: 2, code: 'S-MECH-02', name: '轴承更换', unit: '处', active: true, skill: 'mechanical', skillLabel: '机械', current: { priceFen: 5000 }, upcoming: null },
    ]
    const parts = [{ id: 9, code: 'P-CJX2-1810', name: '交流接触器', spec: 'CJX2-1810 220V', unit: '个', active: true, current: { priceFen: 5800 }, upcoming: null }]
    await open(ON_SITE, {
      'GET /service-items?active=true': () => ok(services),
      'GET /parts?active=true': () => ok(parts),
      'POST /tickets/7/work-lines': () => ok(ON_SITE),
    }, onSite)

    expect(primary()).toBe('完工')
    expect(secondary()).toEqual(['登记', '补充说明'])
    await openWorkLine()
    expect(screen.getByText('¥80.00/次')).toBeTruthy()
    await typeInto('搜索名称、规格或编码', '轴承')
    expect(screen.queryByText('电气故障检修')).toBeNull()
    fireEvent.click(screen.getByText('轴承更换'))
    fireEvent.click(screen.getByText('＋'))
    await tap('登记 轴承更换 × 2')

    await openWorkLine()
    fireEvent.click(screen.getByText('配件'))
    await act(flush)
    expect(screen.getByText('CJX2-1810 220V · P-CJX2-1810')).toBeTruthy()
    fireEvent.click(screen.getByText('交流接触器'))
    await tap('登记 交流接触器 × 1')

    const sent = callsTo('POST /tickets/7/work-lines')
    expect(sent.map((c) => c.data)).toEqual([
      { kind: WorkLineKind.Service, code: 'S-MECH-02', quantity: 2 },
      { kind: WorkLineKind.Part, code: 'P-CJX2-1810', quantity: 1 },
    ])
    expect(sent[0].header['Idempotency-Key']).not.toBe(sent[1].header['Idempotency-Key'])
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已登记' }))
  })

  it('登记 takes a typed code when the catalogue cannot be read', async () => {
    await open(ON_SITE, {
      'GET /service-items?active=true': () => refused(403, ErrorCode.Forbidden, '无权查看价目表'),
      'POST /tickets/7/work-lines': () => ok(ON_SITE),
    }, onSite)

    await openWorkLine()
    expect(screen.getByText('无权查看价目表，可直接输入编码')).toBeTruthy()
    await typeInto('编码', 'S-ELEC-01')
    await tap('登记 S-ELEC-01 × 1')

    expect(callsTo('POST /tickets/7/work-lines')[0].data).toEqual({ kind: WorkLineKind.Service, code: 'S-ELEC-01', quantity: 1 })
  })

  it('完工 on site: a note (and photos) to /finish', async () => {
    await open(ON_SITE, { 'POST /tickets/7/finish': () => ok({ ...RESOLVED, actions: [] }) }, onSite)

    await tap('完工')
    expect(screen.queryByText('远程问诊')).toBeNull()
    await typeInto(/^完工说明/, '更换交流接触器，试机正常')
    await tap('确认完工')

    expect(callsTo('POST /tickets/7/finish')[0].data).toEqual({ note: '更换交流接触器，试机正常' })
    expect(callsTo('POST /tickets/7/resolve')).toEqual([])
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已完工' }))
  })

  it('完工 before any check-in only as 远程问诊', async () => {
    await open(ACCEPTED, { 'POST /tickets/7/finish': () => ok({ ...RESOLVED, actions: [] }) }, accepted)

    await tap('完工')
    await typeInto(/^完工说明/, '电话指导复位热继电器，已恢复')
    expect(document.querySelector('.sheet__confirm--off')).toBeTruthy()
    fireEvent.click(screen.getByText('远程问诊'))
    await tap('确认完工')

    expect(callsTo('POST /tickets/7/finish')[0].data).toEqual({ note: '电话指导复位热继电器，已恢复', remote: true })
  })

  it('gets no buttons but 补充说明 on a ticket now dispatched to another crew', async () => {
    await open(DISPATCHED, {}, dispatchView({ crewId: 4, crewName: '机械维修二队' }))

    expect(screen.getByText('机械维修二队')).toBeTruthy()
    expect(primary()).toBeUndefined()
    expect(secondary()).toEqual(['补充说明'])
  })

  it('shows the proof of arrival on 派单情况', async () => {
    await open({ ...ON_SITE, actions: [] }, {}, onSite)
    expect(screen.getByText(/ · 位置签到，距企业 35 米$/)).toBeTruthy()
    expect(screen.getByText(/^周师傅 /)).toBeTruthy()
  })

  it('a scanned label as proof', async () => {
    await open({ ...ON_SITE, actions: [] }, {}, dispatchView({ ...onSite, arrivalProof: ArrivalProof.Label, distanceM: null }))
    expect(screen.getByText(/ · 扫描设备二维码$/)).toBeTruthy()
  })
})

describe('the firm contact', () => {
  beforeEach(() => saveSession(session(meView([FIRM_CONTACT]))))

  it('sees the bill, warranty lines marked 保修 and free, the total in yuan, before 确认并评价', async () => {
    const finished = dispatchView({ ...onSite, state: DispatchState.Finished, stateLabel: '已完工', finishedAt: '2026-11-23T03:00:00.000Z' })
    await open(RESOLVED, { 'POST /tickets/7/confirm': () => ok({ ...RESOLVED, status: TicketStatus.Closed, statusLabel: '已关闭', actions: [] }) }, finished, billView())

    expect(screen.getByText('维修账单')).toBeTruthy()
    expect(screen.getByText('交流接触器')).toBeTruthy()
    expect(screen.getByText('2个 × ¥58.00')).toBeTruthy()
    expect(screen.getByText('¥116.00')).toBeTruthy()
    const warranty = document.querySelector('.bill__line--warranty')!
    expect(warranty.textContent).toContain('保修')
    expect(warranty.textContent).toContain('电气故障检修')
    expect(warranty.textContent).toContain('免费')
    expect(screen.getByText('保修期内重复维修，原工单 QH20261101-0003')).toBeTruthy()
    expect(screen.getByText('原价 ¥196.00')).toBeTruthy()
    expect(screen.getByText('保修减免 ¥80.00')).toBeTruthy()
    expect(screen.getByText('116.00 元')).toBeTruthy()

    await tap('确认并评价')
    expect(screen.getByText('本次维修费用合计 116.00 元（明细见维修账单）')).toBeTruthy()
    fireEvent.click(document.querySelectorAll('.star')[4])
    await tap('提交评价（5星）')
    expect(callsTo('POST /tickets/7/confirm')[0].data).toEqual({ rating: 5 })
  })

  it('sees no bill card while nothing is recorded and the repair is not done', async () => {
    await open({ ...ACCEPTED, actions: [] }, {}, accepted)
    expect(screen.getByText('派单情况')).toBeTruthy()
    expect(screen.queryByText('维修账单')).toBeNull()
  })
})
