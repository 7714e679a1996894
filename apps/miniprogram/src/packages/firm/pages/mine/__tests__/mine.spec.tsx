import { act, fireEvent, render, screen } from '@testing-library/react'
import { ErrorCode, TicketStatus, Urgency } from '@qihu/contracts'
import MyRequests from '../index'
import { OUTBOX_STORAGE_KEY, failedRequests } from '../../../../../services/outbox'
import { resetSessionCache, saveSession } from '../../../../../services/session'
import { callsTo, flush, ok, serve } from '../../../../../testing/api'
import { fakeTaro, firePageEvent, resetFakeTaro, storage } from '../../../../../testing/fake-taro'
import { FIRM_CONTACT, deadline, meView, session, summaryView, ticketView } from '../../../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../../../testing/fake-taro'))

const ME = meView([FIRM_CONTACT])
const OPEN = [summaryView({ id: 7 }), summaryView({ id: 8, number: 'QH20261123-0002', categoryName: '安全隐患', deadline: deadline(-65_000), urgency: Urgency.Critical, urgencyLabel: '特急' })]
const CLOSED = [summaryView({ id: 3, number: 'QH20261120-0009', status: TicketStatus.Closed, statusLabel: '已关闭', deadline: null })]

function queue(entries: object[], failed: object[] = []) {
  storage.set(OUTBOX_STORAGE_KEY, { pending: entries, failed })
}
const pending = (key: string, description: string) => ({
  idempotencyKey: key,
  personId: ME.id,
  body: { categoryId: 1, description },
  files: [],
  categoryName: '综合诉求',
  queuedAt: '2026-11-23T02:00:00.000Z',
})

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(ME))
  serve({
    'GET /tickets/mine?status=open': () => ok({ items: OPEN }),
    'GET /tickets/mine?status=closed': () => ok({ items: CLOSED, nextCursor: '3' }),
    'GET /tickets/mine?status=closed&cursor=3': () => ok({ items: [summaryView({ id: 2, number: 'QH20261119-0001', status: TicketStatus.Cancelled, statusLabel: '已撤回', deadline: null })] }),
    'POST /tickets': (o) => ok(ticketView({ id: 50, description: o.data.description }), 201),
  })
})

it('lists my open requests with their holder and a live countdown (red when overdue); a tap opens one', async () => {
  render(<MyRequests />)

  expect(await screen.findByText('安全隐患')).toBeTruthy()
  expect(callsTo('GET /tickets/mine?status=open')).toHaveLength(1)
  expect(screen.getAllByText('网格员：张网格')).toHaveLength(2)
  expect(screen.getByText('特急')).toBeTruthy()
  expect(screen.getByText(/^已超时 1分0[56]秒$/).className).toContain('countdown--overdue')
  expect(screen.getByText(/^剩余 (30分00秒|29分59秒)$/)).toBeTruthy()

  fireEvent.click(screen.getByText('安全隐患'))
  expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/common/pages/ticket/index?id=8' })
})

it('shows the ended ones on 已结束, page by page', async () => {
  render(<MyRequests />)
  await screen.findByText('安全隐患')

  fireEvent.click(screen.getByText('已结束'))
  expect(await screen.findByText('QH20261120-0009')).toBeTruthy()
  expect(screen.queryByText('安全隐患')).toBeNull()

  await act(async () => firePageEvent('reachBottom'))
  await act(flush)
  expect(screen.getByText('QH20261119-0001')).toBeTruthy()
  expect(screen.queryByText('加载更多')).toBeNull()
})

it('shows requests kept offline as 待发送 and sends them, with their own key, on 立即发送', async () => {
  queue([pending('offline-key-0001', '断电了')])
  render(<MyRequests />)

  expect(await screen.findByText('待发送')).toBeTruthy()
  expect(screen.getByText('断电了')).toBeTruthy()

  fireEvent.click(screen.getByText('立即发送'))
  for (let i = 0; i < 4; i++) await act(flush)

  const [sent] = callsTo('POST /tickets')
  expect(sent.header['Idempotency-Key']).toBe('offline-key-0001')
  expect(sent.data).toEqual({ categoryId: 1, description: '断电了' })
  expect(screen.queryByText('待发送')).toBeNull()
  // The list is read again, to show it among the others.
  expect(callsTo('GET /tickets/mine?status=open').length).toBeGreaterThanOrEqual(2)
})

it('shows a queued request the API refused, with its message, until 知道了', async () => {
  queue([], [{ idempotencyKey: 'refused-key-01', personId: ME.id, categoryName: '综合诉求', description: '断电了', message: '诉求类别不存在', failedAt: '2026-11-23T02:00:00.000Z' }])
  render(<MyRequests />)

  expect(await screen.findByText('未能提交')).toBeTruthy()
  expect(screen.getByText('诉求类别不存在')).toBeTruthy()

  fireEvent.click(screen.getByText('知道了'))
  await act(flush)

  expect(screen.queryByText('未能提交')).toBeNull()
  expect(failedRequests()).toEqual([])
})

it('sends waiting requests on pull-down too, and stops the spinner', async () => {
  queue([pending('offline-key-0002', '漏水')])
  fakeTaro.request.mockImplementationOnce(async () => ok({ items: OPEN }))
  render(<MyRequests />)
  await screen.findByText('待发送')

  await act(async () => firePageEvent('pullDownRefresh'))
  for (let i = 0; i < 4; i++) await act(flush)

  expect(callsTo('POST /tickets')[0].header['Idempotency-Key']).toBe('offline-key-0002')
  expect(fakeTaro.stopPullDownRefresh).toHaveBeenCalled()
})

it('offers a retry when the list cannot load', async () => {
  serve({
    'GET /tickets/mine?status=open': () => ({ statusCode: 403, data: { code: ErrorCode.Forbidden, message: '无权进行此操作' } }),
  })
  render(<MyRequests />)

  expect(await screen.findByText('无权进行此操作（点击重试）')).toBeTruthy()
})
