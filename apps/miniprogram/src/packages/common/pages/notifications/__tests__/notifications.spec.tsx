import { act, fireEvent, render, screen } from '@testing-library/react'
import { NotificationKind, type NotificationView } from '@qihu/contracts'
import Notifications, { targetOf } from '../index'
import { resetSessionCache, saveSession } from '../../../../../services/session'
import { callsTo, flush, ok, serve } from '../../../../../testing/api'
import { fakeTaro, resetFakeTaro } from '../../../../../testing/fake-taro'
import { GRID_MEMBER, meView, session } from '../../../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../../../testing/fake-taro'))

function notice(id: number, overrides: Partial<NotificationView> = {}): NotificationView {
  return {
    id,
    kind: NotificationKind.TicketAssigned,
    ticketId: 7,
    title: '新工单待受理',
    body: '宁波恒达精密机械有限公司 · 综合诉求',
    page: 'packages/common/pages/ticket/index?id=7',
    data: {},
    createdAt: '2026-11-23T02:00:00.000Z',
    readAt: null,
    ...overrides,
  }
}

const UNREAD = notice(12)
const READ = notice(11, { title: '诉求已办结', readAt: '2026-11-23T03:00:00.000Z', ticketId: 5 })

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(meView([GRID_MEMBER])))
  serve({
    'GET /notifications': () => ok({ items: [UNREAD, READ], nextCursor: null, unreadCount: 1 }),
    'POST /notifications/12/read': () => ok({ ...UNREAD, readAt: '2026-11-23T04:00:00.000Z' }),
    'POST /notifications/read-all': () => ok({ marked: 1, unreadCount: 0 }),
  })
})

it('lists my notifications newest first, the unread marked and counted', async () => {
  render(<Notifications />)

  expect(await screen.findByText('1 条未读')).toBeTruthy()
  const titles = [...document.querySelectorAll('.notice__title')].map((el) => el.textContent)
  expect(titles).toEqual(['新工单待受理', '诉求已办结'])
  expect(document.querySelectorAll('.notice--unread')).toHaveLength(1)
  // The WeChat subscription card is for the weapp build only.
  expect(screen.queryByText('开启微信提醒')).toBeNull()
})

it('a tap marks it read and opens its ticket', async () => {
  render(<Notifications />)
  await screen.findByText('1 条未读')

  fireEvent.click(screen.getByText('新工单待受理'))
  await act(flush)

  expect(callsTo('POST /notifications/12/read')).toHaveLength(1)
  expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/common/pages/ticket/index?id=7' })
  expect(screen.getByText('没有未读消息')).toBeTruthy()
  expect(document.querySelectorAll('.notice--unread')).toHaveLength(0)
})

it('全部已读 marks them all', async () => {
  render(<Notifications />)
  await screen.findByText('1 条未读')

  fireEvent.click(screen.getByText('全部已读'))
  await act(flush)

  expect(callsTo('POST /notifications/read-all')).toHaveLength(1)
  expect(screen.getByText('没有未读消息')).toBeTruthy()
})

it("opens the ticket by its id, and other notifications at the page the API names", () => {
  expect(targetOf(notice(1, { ticketId: 9, page: 'pages/ticket/index?id=9' }))).toBe('/packages/common/pages/ticket/index?id=9')
  expect(targetOf(notice(2, { ticketId: null, kind: NotificationKind.DutyCoverageGap, page: 'packages/staff/pages/duty/index' }))).toBe(
    '/packages/staff/pages/duty/index',
  )
  expect(targetOf(notice(3, { ticketId: null, page: '' }))).toBeNull()
})

describe('in the WeChat build', () => {
  const env = process.env.TARO_ENV
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp'
  })
  afterEach(() => {
    process.env.TARO_ENV = env
  })

  it('asks WeChat for the templates not yet accepted and tells the API what was accepted and refused', async () => {
    serve({
      'GET /notifications': () => ok({ items: [], nextCursor: null, unreadCount: 0 }),
      'GET /notifications/templates': () =>
        ok([
          { kind: NotificationKind.TicketAssigned, templateId: 'tpl-assigned', accepted: null, answeredAt: null },
          { kind: NotificationKind.SlaWarning, templateId: 'tpl-warning', accepted: false, answeredAt: null },
          { kind: NotificationKind.TicketProgress, templateId: 'tpl-progress', accepted: true, answeredAt: null },
        ]),
      'POST /notifications/subscriptions': (o) =>
        ok([{ kind: NotificationKind.TicketAssigned, templateId: 'tpl-assigned', accepted: o.data.accepted, answeredAt: null }]),
    })
    fakeTaro.requestSubscribeMessage.mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', 'tpl-assigned': 'accept', 'tpl-warning': 'reject' })
    render(<Notifications />)

    fireEvent.click(await screen.findByText('开启微信提醒'))
    await act(flush)
    await act(flush)

    expect(fakeTaro.requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['tpl-assigned', 'tpl-warning'] }))
    expect(callsTo('POST /notifications/subscriptions').map((o) => o.data)).toEqual([
      { kinds: [NotificationKind.TicketAssigned], accepted: true },
      { kinds: [NotificationKind.SlaWarning], accepted: false },
    ])
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已开启微信提醒' }))
  })
})
