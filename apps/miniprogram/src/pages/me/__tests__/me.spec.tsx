import { act, fireEvent, render, screen } from '@testing-library/react'
import { FirmScale, GridStatus, MicrogridKind, type FirmView } from '@qihu/contracts'
import Me from '../index'
import { LOGIN_PAGE, getSession, resetSessionCache, saveSession } from '../../../services/session'
import { fakeTaro, firePageEvent, resetFakeTaro, storage } from '../../../testing/fake-taro'
import { API, CREW_MEMBER, FIRM_CONTACT, GRID_LEADER, meView, session, type Reply, type RequestOptions } from '../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../testing/fake-taro'))
const taroRequest = fakeTaro.request

const FIRM: FirmView = {
  id: 11,
  communityId: 1,
  gridId: 2,
  microgridId: 4,
  name: '宁波恒达精密机械有限公司',
  creditCode: '91330206MA2000001X',
  scale: FirmScale.Above,
  industry: '通用设备制造',
  address: '滨海大道100号',
  latitude: null,
  longitude: null,
}
const GRID = { id: 2, communityId: 1, code: '330206101001001', name: '第一网格', status: GridStatus.Active, firmCount: 30 }
const MICROGRIDS = [
  { id: 4, gridId: 2, code: '33020610100100101', name: '第一网格一企一格1', kind: MicrogridKind.SingleFirm, status: GridStatus.Active, firmCount: 1 },
  { id: 8, gridId: 2, code: '33020610100100105', name: '第一网格片区5', kind: MicrogridKind.SmallFirms, status: GridStatus.Active, firmCount: 5 },
]

function serve(me: ReturnType<typeof meView>, extra: Record<string, Reply> = {}) {
  const routes: Record<string, Reply> = {
    'GET /me': { statusCode: 200, data: me },
    'GET /firms/11': { statusCode: 200, data: FIRM },
    'GET /grids/2': { statusCode: 200, data: GRID },
    'GET /microgrids?gridId=2': { statusCode: 200, data: MICROGRIDS },
    'POST /auth/logout': { statusCode: 204 },
    'GET /notifications?limit=1': { statusCode: 200, data: { items: [], nextCursor: null, unreadCount: 3 } },
    ...extra,
  }
  taroRequest.mockImplementation(async (o: RequestOptions) => {
    const reply = routes[`${o.method} ${o.url.replace(API, '')}`]
    if (!reply) throw new Error(`unexpected ${o.method} ${o.url}`)
    return reply
  })
}

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
})

it("shows a firm contact's name, masked phone, role and 我的企业", async () => {
  const me = meView([FIRM_CONTACT])
  saveSession(session(me))
  serve(me)
  render(<Me />)

  expect(screen.getByText('王经理')).toBeTruthy()
  expect(screen.getByText('139****0042')).toBeTruthy()
  expect(screen.getByText('当前角色：宁波恒达精密机械有限公司 · 企业联系人')).toBeTruthy()
  expect(screen.queryByText('切换角色')).toBeNull()
  expect(screen.getByText('我的企业')).toBeTruthy()
  expect(await screen.findByText('91330206MA2000001X')).toBeTruthy()
  expect(screen.getByText('宁波恒达精密机械有限公司')).toBeTruthy()
  expect(screen.getByText('规上企业')).toBeTruthy()
  expect(screen.getByText('通用设备制造')).toBeTruthy()
  expect(screen.getByText('滨海大道100号')).toBeTruthy()
  expect(screen.queryByText('我的网格')).toBeNull()
})

it('shows 我的网格 with its micro-grids and firm counts, and the switcher, to a grid leader with two roles', async () => {
  const me = meView([GRID_LEADER, FIRM_CONTACT], { name: '李伟' })
  saveSession(session(me))
  serve(me)
  render(<Me />)

  expect(await screen.findByText('第一网格片区5')).toBeTruthy()
  expect(screen.getByText('我的网格')).toBeTruthy()
  expect(screen.getByText('30 家')).toBeTruthy()
  expect(screen.getByText('5 家企业')).toBeTruthy()
  expect(screen.getByText('切换角色')).toBeTruthy()
  expect(screen.queryByText('我的企业')).toBeNull()
})

it('退出登录 revokes the refresh token, forgets the session and shows the login page', async () => {
  const me = meView([FIRM_CONTACT])
  saveSession(session(me))
  serve(me)
  render(<Me />)
  await screen.findByText('91330206MA2000001X')

  fireEvent.click(screen.getByText('退出登录'))
  await act(() => new Promise((r) => setTimeout(r, 0)))

  const logout = taroRequest.mock.calls.map(([o]) => o).find((o) => o.url.endsWith('/auth/logout'))
  expect(logout).toMatchObject({ method: 'POST', data: { refreshToken: 'refresh-1' } })
  expect(logout.header).not.toHaveProperty('Authorization')
  expect(getSession()).toBeNull()
  expect(storage.size).toBe(0)
  expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: LOGIN_PAGE })
})

it('links a firm contact to 我的诉求 and everyone to 消息通知 with the unread count', async () => {
  const me = meView([FIRM_CONTACT])
  saveSession(session(me))
  serve(me)
  render(<Me />)

  expect(await screen.findByText('3')).toBeTruthy()
  expect(screen.queryByText('待办工单')).toBeNull()
  fireEvent.click(screen.getByText('我的诉求'))
  expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/firm/pages/mine/index' })
  fireEvent.click(screen.getByText('消息通知'))
  expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/common/pages/notifications/index' })

  // Back from 消息通知, where they were read: the badge goes.
  serve(me, { 'GET /notifications?limit=1': { statusCode: 200, data: { items: [], nextCursor: null, unreadCount: 0 } } })
  await act(async () => {
    firePageEvent('didHide')
    firePageEvent('didShow')
  })
  await act(() => new Promise((r) => setTimeout(r, 0)))
  expect(screen.queryByText('3')).toBeNull()
})

it('links staff to 待办工单', async () => {
  const me = meView([GRID_LEADER])
  saveSession(session(me))
  serve(me)
  render(<Me />)
  await screen.findByText('第一网格片区5')

  fireEvent.click(screen.getByText('待办工单'))

  expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/staff/pages/inbox/index' })
  expect(screen.queryByText('我的诉求')).toBeNull()
})

it('links a crew member to 派单, not to 待办工单', async () => {
  const me = meView([CREW_MEMBER])
  saveSession(session(me))
  serve(me)
  render(<Me />)
  await screen.findByText('3')

  fireEvent.click(screen.getByText('派单'))

  expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/crew/pages/dispatches/index' })
  expect(screen.queryByText('待办工单')).toBeNull()
})
