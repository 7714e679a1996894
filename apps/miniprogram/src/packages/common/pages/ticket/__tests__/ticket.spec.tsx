import { act, fireEvent, render, screen } from '@testing-library/react'
import { DeadlineKind, ErrorCode, Role, TicketAction, TicketStatus, UploadKind, Urgency, type TicketView } from '@qihu/contracts'
import TicketDetail, { offeredActions } from '../index'
import { resetSessionCache, saveSession } from '../../../../../services/session'
import { callsTo, flush, ok, refused, serve, type Route } from '../../../../../testing/api'
import { typeInto } from '../../../../../testing/dom'
import { fakeTaro, resetFakeTaro, setRouterParams } from '../../../../../testing/fake-taro'
import {
  ADMIN,
  FIRM_CONTACT,
  GRID_MEMBER,
  attachment,
  deadline,
  meView,
  session,
  ticketView,
} from '../../../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../../../testing/fake-taro'))

const STAFF_ACTIONS = [TicketAction.Acknowledge, TicketAction.Return, TicketAction.Transfer]
const acknowledged = ticketView({
  status: TicketStatus.Acknowledged,
  statusLabel: '已受理',
  deadline: deadline(24 * 3600_000, DeadlineKind.Resolve),
  actions: [TicketAction.CheckIn, TicketAction.Resolve, TicketAction.Transfer],
})

/** The ticket page for ticket 7, with `view` from GET /tickets/7 and the given action routes. */
async function open(view: TicketView, routes: Record<string, Route> = {}) {
  serve({ 'GET /tickets/7': () => ok(view), ...routes })
  setRouterParams({ id: '7' })
  render(<TicketDetail />)
  await screen.findByText(view.number)
}

const button = (label: string) => screen.getByText(label)
async function tap(label: string) {
  fireEvent.click(button(label))
  await act(flush)
  await act(flush)
}

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(meView([GRID_MEMBER])))
})

describe('what it shows', () => {
  it('the ticket, who holds it, the countdown to its deadline and the timeline', async () => {
    saveSession(session(meView([FIRM_CONTACT])))
    await open(ticketView({ urgency: Urgency.Urgent, urgencyLabel: '紧急', supervised: true }))

    expect(screen.getByText('待受理')).toBeTruthy()
    expect(screen.getByText('综合诉求')).toBeTruthy()
    expect(screen.getByText('紧急')).toBeTruthy()
    expect(screen.getByText('督办')).toBeTruthy()
    expect(screen.getByText('当前处理：网格员 张网格')).toBeTruthy()
    expect(screen.getByText(/^受理时限 剩余 (30分00秒|29分59秒)$/)).toBeTruthy()
    expect(screen.getByText('车间配电柜跳闸')).toBeTruthy()
    expect(screen.getByText('提交诉求')).toBeTruthy()
    expect(screen.getByText('王经理 · 网格员')).toBeTruthy()
  })

  it('counts down every second and turns red once the deadline has passed', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-23T02:00:00Z') })
    try {
      serve({ 'GET /tickets/7': () => ok(ticketView({ deadline: deadline(2_000) })) })
      setRouterParams({ id: '7' })
      render(<TicketDetail />)
      await act(() => jest.advanceTimersByTimeAsync(0))
      expect(screen.getByText('受理时限 剩余 0分02秒')).toBeTruthy()

      await act(() => jest.advanceTimersByTimeAsync(1000))
      expect(screen.getByText('受理时限 剩余 0分01秒')).toBeTruthy()

      await act(() => jest.advanceTimersByTimeAsync(2000))
      const overdue = screen.getByText('受理时限 已超时 0分01秒')
      expect(overdue.className).toContain('countdown--overdue')

      // The SLA clock escalates it on the server: the page fetches the new holder once.
      await act(() => jest.advanceTimersByTimeAsync(2500))
      expect(callsTo('GET /tickets/7')).toHaveLength(2)
      await act(() => jest.advanceTimersByTimeAsync(10_000))
      expect(callsTo('GET /tickets/7')).toHaveLength(2)
    } finally {
      jest.useRealTimers()
    }
  })

  it('shows photos with the API base in front of their signed link, under the event that added them; a tap enlarges', async () => {
    const view = ticketView({
      attachments: [attachment('up_1', UploadKind.Image, 100), attachment('up_2', UploadKind.Voice, 100)],
    })
    view.attachments[1].durationMs = 4200
    await open(view)

    const photo = document.querySelector('.timeline .attachments__photo') as HTMLElement & { src: string }
    expect(photo.src).toBe('http://127.0.0.1:3000/api/v1/uploads/up_1/file?sig=s')
    fireEvent.click(photo)
    expect(fakeTaro.previewImage).toHaveBeenCalledWith({
      urls: ['http://127.0.0.1:3000/api/v1/uploads/up_1/file?sig=s'],
      current: 'http://127.0.0.1:3000/api/v1/uploads/up_1/file?sig=s',
    })
    expect(screen.getByText('▶ 语音 4秒')).toBeTruthy()
  })

  it('says who did what: the rating on 确认并评价, 系统 for the SLA clock, 匿名 for a worker hidden from the firm', async () => {
    const view = ticketView({
      status: TicketStatus.Closed,
      statusLabel: '已关闭',
      rating: 4,
      ratingComment: '很快',
      deadline: null,
      events: [
        { ...ticketView().events[0], actor: Role.Worker, actorPersonId: null, actorName: null },
        { ...ticketView().events[0], id: 101, type: 'escalate', typeLabel: '超时升级', actor: Role.System, actorName: null, actorPersonId: null },
        { ...ticketView().events[0], id: 102, type: 'confirm', typeLabel: '确认并评价', note: '很快', data: { rating: 4 } },
      ],
    })
    await open(view)

    expect(screen.getByText('匿名 · 网格员')).toBeTruthy()
    expect(screen.getByText('系统 · 网格员')).toBeTruthy()
    expect(screen.getByText('★★★★ 4星，很快')).toBeTruthy()
    expect(screen.getByText('★★★★ 4星')).toBeTruthy()
    // Closed: nothing left to do.
    expect(screen.queryByText('补充说明')).toBeNull()
    expect(document.querySelector('.action-bar')).toBeNull()
  })
})

describe('offeredActions', () => {
  it("follows the ticket's actions in a fixed order, adds 补充说明 while open and leaves out other clients' actions", () => {
    expect(offeredActions(ticketView({ actions: [TicketAction.Transfer, TicketAction.Accept, TicketAction.Acknowledge] }))).toEqual([
      TicketAction.Acknowledge,
      TicketAction.Transfer,
      'comment',
    ])
    expect(offeredActions(ticketView({ status: TicketStatus.Cancelled, actions: [] }))).toEqual([])
  })
})

describe('staff', () => {
  it('受理: one tap, with a new Idempotency-Key, and the page shows the acknowledged ticket', async () => {
    await open(ticketView({ actions: STAFF_ACTIONS }), { 'POST /tickets/7/acknowledge': () => ok(acknowledged) })

    expect(button('受理').closest('.action-bar__primary')).toBeTruthy()
    expect(button('退回').className).toContain('action-bar__secondary')
    await tap('受理')

    const [sent] = callsTo('POST /tickets/7/acknowledge')
    expect(sent.data).toEqual({})
    expect(sent.header['Idempotency-Key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    expect(sent.header.Authorization).toBe('Bearer access-1')
    expect(screen.getByText('已受理')).toBeTruthy()
    expect(screen.getByText('办结')).toBeTruthy()
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已受理' }))
  })

  it('退回 takes a reason', async () => {
    await open(ticketView({ actions: STAFF_ACTIONS }), { 'POST /tickets/7/return': () => ok(ticketView()) })

    await tap('退回')
    expect(screen.getByText('确认退回')).toBeTruthy()
    await typeInto(/^退回原因/, '不属于本网格的企业')
    await tap('确认退回')

    expect(callsTo('POST /tickets/7/return')[0].data).toEqual({ reason: '不属于本网格的企业' })
    expect(screen.queryByText('确认退回')).toBeNull()
  })

  it('转办 lists who may take it over and sends the one picked with the reason', async () => {
    await open(ticketView({ actions: STAFF_ACTIONS }), {
      'GET /tickets/7/transfer-targets': () =>
        ok([
          { personId: 31, name: '张网格', roleLabel: '专职网格员' },
          { personId: 32, name: '李兼职', roleLabel: '兼职网格员' },
        ]),
      'POST /tickets/7/transfer': () => ok(ticketView()),
    })

    await tap('转办')
    fireEvent.click(await screen.findByText('李兼职'))
    await typeInto('转办原因', '该企业由他联系')
    await tap('转给 李兼职')

    expect(callsTo('POST /tickets/7/transfer')[0].data).toEqual({ toPersonId: 32, reason: '该企业由他联系' })
  })

  it('到场签到 sends where the phone is', async () => {
    fakeTaro.getLocation.mockResolvedValue({ latitude: 29.96, longitude: 121.71, accuracy: 15 })
    await open(acknowledged, { 'POST /tickets/7/check-in': () => ok(acknowledged) })

    await tap('到场签到')

    expect(fakeTaro.getLocation).toHaveBeenCalledWith({ type: 'gcj02' })
    expect(callsTo('POST /tickets/7/check-in')[0].data).toEqual({ latitude: 29.96, longitude: 121.71, accuracy: 15 })
  })

  it('办结 takes a note and photos', async () => {
    fakeTaro.chooseMedia.mockResolvedValue({ type: 'image', tempFiles: [{ tempFilePath: 'wxfile://done.jpg', size: 1, fileType: 'image' }] })
    fakeTaro.uploadFile.mockResolvedValue({ statusCode: 201, data: JSON.stringify({ id: 'up_done', kind: 'image' }) })
    const resolved = ticketView({ status: TicketStatus.Resolved, statusLabel: '已办结', actions: [] })
    await open(acknowledged, { 'POST /tickets/7/resolve': () => ok(resolved) })

    await tap('办结')
    await typeInto('办结说明：做了什么，结果如何', '已更换空气开关，恢复供电')
    fireEvent.click(screen.getByText('拍照/相册'))
    await act(flush)
    await tap('确认办结')

    expect(callsTo('POST /tickets/7/resolve')[0].data).toEqual({ note: '已更换空气开关，恢复供电', photoIds: ['up_done'] })
    expect(screen.getByText('已办结')).toBeTruthy()
  })

  it("keeps the sheet open with the API's message when it refuses", async () => {
    await open(acknowledged, {
      'POST /tickets/7/resolve': () => refused(409, ErrorCode.TransitionNotAllowed, '此类诉求须先到场签到才能办结'),
    })

    await tap('办结')
    await typeInto('办结说明：做了什么，结果如何', '已处理')
    await tap('确认办结')

    expect(screen.getByText('此类诉求须先到场签到才能办结')).toBeTruthy()
    expect(screen.getByText('确认办结')).toBeTruthy()
  })

  it('补充说明 sends text', async () => {
    await open(acknowledged, { 'POST /tickets/7/comments': () => ok(acknowledged) })

    await tap('补充说明')
    await typeInto('补充情况或回复（可只发照片）', '明早九点上门')
    await tap('发送')

    expect(callsTo('POST /tickets/7/comments')[0].data).toEqual({ text: '明早九点上门' })
  })

  it('the admin gets 督办 with a note', async () => {
    saveSession(session(meView([ADMIN])))
    await open(ticketView({ actions: [TicketAction.Supervise] }), { 'POST /tickets/7/supervise': () => ok(ticketView({ supervised: true })) })

    await tap('督办')
    await typeInto('督办意见', '请今天内处理')
    await tap('发出督办')

    expect(callsTo('POST /tickets/7/supervise')[0].data).toEqual({ note: '请今天内处理' })
  })
})

describe('the requester', () => {
  beforeEach(() => saveSession(session(meView([FIRM_CONTACT]))))

  it('确认并评价: taps the fifth star, adds a comment and sends rating 5', async () => {
    const resolved = ticketView({
      status: TicketStatus.Resolved,
      statusLabel: '已办结',
      deadline: deadline(72 * 3600_000, DeadlineKind.Confirm),
      actions: [TicketAction.Confirm, TicketAction.Reopen],
    })
    const closed = ticketView({ status: TicketStatus.Closed, statusLabel: '已关闭', rating: 5, deadline: null, actions: [] })
    await open(resolved, { 'POST /tickets/7/confirm': () => ok(closed) })

    expect(screen.getByText(/^评价时限 剩余 3天0小时|^评价时限 剩余 2天23小时/)).toBeTruthy()
    await tap('确认并评价')
    expect(screen.getByText('请点星评分')).toBeTruthy()
    fireEvent.click(document.querySelectorAll('.star')[4])
    await typeInto('说说处理得怎么样（选填）', '响应很快')
    await tap('提交评价（5星）')

    expect(callsTo('POST /tickets/7/confirm')[0].data).toEqual({ rating: 5, comment: '响应很快' })
    expect(screen.getByText('已关闭')).toBeTruthy()
    expect(screen.getByText('★★★★★ 5星')).toBeTruthy()
  })

  it('申请重办 within the window needs a reason', async () => {
    const resolved = ticketView({ status: TicketStatus.Resolved, statusLabel: '已办结', actions: [TicketAction.Confirm, TicketAction.Reopen] })
    await open(resolved, { 'POST /tickets/7/reopen': () => ok(ticketView({ status: TicketStatus.Reopened, statusLabel: '重办' })) })

    await tap('申请重办')
    // No reason, no button.
    expect(document.querySelector('.sheet__confirm--off')).toBeTruthy()
    await typeInto('问题还没有解决？请说明原因', '又跳闸了')
    await tap('提交重办')

    expect(callsTo('POST /tickets/7/reopen')[0].data).toEqual({ reason: '又跳闸了' })
  })

  it('撤回 before acknowledgement, the reason optional', async () => {
    await open(ticketView({ actions: [TicketAction.Cancel] }), {
      'POST /tickets/7/cancel': () => ok(ticketView({ status: TicketStatus.Cancelled, statusLabel: '已撤回', actions: [] })),
    })

    // Taking a request back is offered, not pushed: a small button, no big one.
    expect(button('撤回').className).toContain('action-bar__secondary')
    expect(document.querySelector('.action-bar__primary')).toBeNull()
    await tap('撤回')
    await tap('确认撤回')

    expect(callsTo('POST /tickets/7/cancel')[0].data).toEqual({})
    expect(screen.getByText('已撤回')).toBeTruthy()
  })
})
