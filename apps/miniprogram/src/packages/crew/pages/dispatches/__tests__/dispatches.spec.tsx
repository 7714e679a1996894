import { act, fireEvent, render, screen } from '@testing-library/react'
import { DispatchState, ErrorCode } from '@qihu/contracts'
import Dispatches from '../index'
import { resetSessionCache, saveSession } from '../../../../../services/session'
import { callsTo, flush, ok, refused, serve } from '../../../../../testing/api'
import { fakeTaro, firePageEvent, resetFakeTaro } from '../../../../../testing/fake-taro'
import { ARRIVED, CREW_MEMBER, dispatchItem, meView, session } from '../../../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../../../testing/fake-taro'))

/** Just sent: 10 minutes left to accept. */
const OFFERED = dispatchItem({ id: 71, ticketId: 8, firmName: '宁波金凯新材料科技有限公司', description: '配电柜跳闸' })
/** Accepted: the crew has 25 minutes to be there. */
const ACCEPTED = dispatchItem({ id: 70, ticketId: 7, state: DispatchState.Accepted, stateLabel: '已接单', acceptedAt: '2026-11-23T02:05:00.000Z' })
const FINISHED = dispatchItem({
  id: 60,
  ticketId: 6,
  state: DispatchState.Finished,
  stateLabel: '已完工',
  firmName: '宁波华越包装印刷有限公司',
  ...ARRIVED,
  finishedAt: '2026-11-22T03:10:00.000Z',
})

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(meView([CREW_MEMBER])))
  serve({
    'GET /dispatches?state=open': () => ok([OFFERED, ACCEPTED]),
    'GET /dispatches?state=all': () => ok([OFFERED, ACCEPTED, FINISHED]),
  })
})

it("lists the crew's open dispatches with firm, place, fault, state and the clock each runs against", async () => {
  render(<Dispatches />)

  expect(await screen.findByText('宁波金凯新材料科技有限公司')).toBeTruthy()
  expect(callsTo('GET /dispatches?state=open')[0].header.Authorization).toBe('Bearer access-1')
  const firms = [...document.querySelectorAll('.dispatch-card__firm')].map((el) => el.textContent)
  expect(firms).toEqual(['宁波金凯新材料科技有限公司', '宁波恒达精密机械有限公司'])
  expect(screen.getAllByText('北仑区大港工业城 8 号')).toHaveLength(2)
  expect(screen.getByText('配电柜跳闸')).toBeTruthy()
  expect(screen.getAllByText('设备 EQ000001')).toHaveLength(2)
  expect(screen.getByText('待接单').className).toContain('dispatch-card__state--offered')
  expect(screen.getByText('已接单')).toBeTruthy()
  // Offered: the accept deadline; accepted: the on-site deadline.
  expect(screen.getByText(/^接单时限 剩余 (10分00秒|9分59秒)$/).className).toContain('countdown--soon')
  expect(screen.getByText(/^到场时限 剩余 (25分00秒|24分59秒)$/).className).not.toContain('countdown--soon')
})

it('全部 shows finished ones with when they were done', async () => {
  render(<Dispatches />)
  await screen.findByText('宁波金凯新材料科技有限公司')

  fireEvent.click(screen.getByText('全部'))

  expect(await screen.findByText('宁波华越包装印刷有限公司')).toBeTruthy()
  expect(screen.getByText('已完工')).toBeTruthy()
  expect(screen.getByText(/ 完工$/)).toBeTruthy()
  expect(screen.getByText('全部').className).toContain('dispatches__tab--on')
})

it('opens the ticket on a tap and reloads when coming back', async () => {
  render(<Dispatches />)
  await screen.findByText('宁波金凯新材料科技有限公司')

  fireEvent.click(screen.getByText('宁波金凯新材料科技有限公司'))
  expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/common/pages/ticket/index?id=8' })
  await act(async () => {
    firePageEvent('didHide')
    firePageEvent('didShow')
  })
  await act(flush)

  expect(callsTo('GET /dispatches?state=open')).toHaveLength(2)
})

it('says when there is nothing to do, and shows the API message with a retry when the list cannot be read', async () => {
  serve({ 'GET /dispatches?state=open': () => ok([]) })
  render(<Dispatches />)
  expect(await screen.findByText('暂无待处理的派单')).toBeTruthy()

  serve({ 'GET /dispatches?state=all': () => refused(403, ErrorCode.Forbidden, '无权查看派单') })
  fireEvent.click(screen.getByText('全部'))
  expect(await screen.findByText('无权查看派单（点击重试）')).toBeTruthy()
})
