import { act, fireEvent, render, screen } from '@testing-library/react'
import Inbox from '../index'
import { resetSessionCache, saveSession } from '../../../../../services/session'
import { callsTo, flush, ok, serve } from '../../../../../testing/api'
import { fakeTaro, firePageEvent, resetFakeTaro } from '../../../../../testing/fake-taro'
import { GRID_MEMBER, deadline, meView, session, summaryView } from '../../../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../../../testing/fake-taro'))

const SOONEST = summaryView({ id: 8, firmName: '宁波金凯新材料科技有限公司', deadline: deadline(5 * 60_000), holderName: '李兼职' })
const LATER = summaryView({ id: 7, deadline: deadline(2 * 3600_000) })
const MINE = summaryView({ id: 9, firmName: '宁波华越包装印刷有限公司', deadline: deadline(-30_000), supervised: true })

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(meView([GRID_MEMBER])))
  serve({
    'GET /tickets/inbox?holder=all&status=open': () => ok({ items: [SOONEST, LATER] }),
    'GET /tickets/inbox?holder=me&status=open': () => ok({ items: [MINE] }),
    'GET /tickets/inbox?holder=all&status=closed': () => ok({ items: [] }),
  })
})

it("lists the scope's open tickets in the API's deadline order, with firm, holder and countdown chips", async () => {
  render(<Inbox />)

  expect(await screen.findByText('宁波金凯新材料科技有限公司')).toBeTruthy()
  const firms = [...document.querySelectorAll('.ticket-card__firm')].map((el) => el.textContent)
  expect(firms).toEqual(['宁波金凯新材料科技有限公司', '宁波恒达精密机械有限公司'])
  expect(screen.getByText('网格员：李兼职')).toBeTruthy()
  // Under ten minutes left: orange.
  expect(screen.getByText(/^剩余 (5分00秒|4分59秒)$/).className).toContain('countdown--soon')
  expect(screen.getByText(/^剩余 (2小时00分|1小时59分)$/).className).not.toContain('countdown--soon')
})

it('「只看我的」 asks for the tickets I hold', async () => {
  render(<Inbox />)
  await screen.findByText('宁波金凯新材料科技有限公司')

  fireEvent.click(screen.getByText('只看我的'))

  expect(await screen.findByText('宁波华越包装印刷有限公司')).toBeTruthy()
  expect(callsTo('GET /tickets/inbox?holder=me&status=open')).toHaveLength(1)
  expect(screen.getByText('✓ 只看我的')).toBeTruthy()
  expect(screen.queryByText('宁波金凯新材料科技有限公司')).toBeNull()
  expect(screen.getByText('督办')).toBeTruthy()
  expect(screen.getByText(/^已超时 0分3[01]秒$/).className).toContain('countdown--overdue')
})

it('shows only the answer to the latest filter when an older one arrives last', async () => {
  let answerAll!: () => void
  serve({
    'GET /tickets/inbox?holder=all&status=open': () => new Promise((resolve) => (answerAll = () => resolve(ok({ items: [SOONEST] })))),
    'GET /tickets/inbox?holder=me&status=open': () => ok({ items: [MINE] }),
  })
  render(<Inbox />)
  await act(flush)

  fireEvent.click(screen.getByText('只看我的'))
  await screen.findByText('宁波华越包装印刷有限公司')
  await act(async () => answerAll())

  expect(screen.queryByText('宁波金凯新材料科技有限公司')).toBeNull()
})

it('reloads when coming back from a ticket, and opens one on a tap', async () => {
  render(<Inbox />)
  await screen.findByText('宁波金凯新材料科技有限公司')

  fireEvent.click(screen.getByText('宁波金凯新材料科技有限公司'))
  expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/common/pages/ticket/index?id=8' })
  await act(async () => {
    firePageEvent('didHide')
    firePageEvent('didShow')
  })
  await act(flush)

  expect(callsTo('GET /tickets/inbox?holder=all&status=open')).toHaveLength(2)
})

it('says so when nothing has ended yet', async () => {
  render(<Inbox />)
  await screen.findByText('宁波金凯新材料科技有限公司')

  fireEvent.click(screen.getByText('已结束'))

  expect(await screen.findByText('暂无已结束的工单')).toBeTruthy()
})
