import { act, fireEvent, render, screen } from '@testing-library/react'
import { ErrorCode, Role } from '@qihu/contracts'
import RoleSwitcher from '../index'
import { HOME_PAGE, getSession, resetSessionCache, saveSession } from '../../../services/session'
import { fakeTaro, resetFakeTaro } from '../../../testing/fake-taro'
import { API, FIRM_CONTACT, GRID_LEADER, meView, roleView, session, type RequestOptions } from '../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../testing/fake-taro'))
const taroRequest = fakeTaro.request
const posts = (): RequestOptions[] => taroRequest.mock.calls.map(([o]) => o).filter((o) => o.method === 'POST')

const MICROGRID = roleView(Role.MicrogridLeader, { id: 23, microgridId: 4, scopeLabel: '第一网格一企一格1 · 微网格长' })
const me = meView([FIRM_CONTACT, GRID_LEADER, MICROGRID], { activeRole: FIRM_CONTACT })

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(me, 1))
})

it('is not shown to someone with one role', () => {
  const { container } = render(<RoleSwitcher me={meView([FIRM_CONTACT])} />)

  expect(container.textContent).toBe('')
  expect(screen.queryByText('切换角色')).toBeNull()
})

it('lists every role by where it applies and marks the active one', () => {
  render(<RoleSwitcher me={me} />)

  expect(screen.getByText('切换角色')).toBeTruthy()
  expect(screen.getByText('宁波恒达精密机械有限公司 · 企业联系人')).toBeTruthy()
  expect(screen.getByText('第一网格 · 网格长')).toBeTruthy()
  expect(screen.getByText('第一网格一企一格1 · 微网格长')).toBeTruthy()
  const marks = screen.getAllByText('当前')
  expect(marks).toHaveLength(1)
  expect(marks[0].parentElement!.textContent).toContain('企业联系人')
})

it('switches on tap: POST /auth/switch-role with the token, keeps the new session, starts over at home', async () => {
  const switched = { ...me, activeRole: GRID_LEADER }
  taroRequest.mockResolvedValue({ statusCode: 200, data: session(switched, 2) })
  render(<RoleSwitcher me={me} />)

  fireEvent.click(screen.getByText('第一网格 · 网格长'))
  await act(() => new Promise((r) => setTimeout(r, 0)))

  expect(posts()).toEqual([
    expect.objectContaining({ url: `${API}/auth/switch-role`, data: { roleAssignmentId: 22 } }),
  ])
  expect(posts()[0].header.Authorization).toBe('Bearer access-1')
  expect(getSession()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', me: { activeRole: GRID_LEADER } })
  expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: HOME_PAGE })
})

it('does nothing for the active role', () => {
  render(<RoleSwitcher me={me} />)

  fireEvent.click(screen.getByText('宁波恒达精密机械有限公司 · 企业联系人'))

  expect(taroRequest).not.toHaveBeenCalled()
})

it("shows the API's message and stays when the role is gone", async () => {
  taroRequest.mockResolvedValue({
    statusCode: 404,
    data: { code: ErrorCode.RoleAssignmentNotFound, message: '角色不存在或已被撤销' },
  })
  render(<RoleSwitcher me={me} />)

  fireEvent.click(screen.getByText('第一网格一企一格1 · 微网格长'))

  expect(await screen.findByText('角色不存在或已被撤销')).toBeTruthy()
  expect(fakeTaro.reLaunch).not.toHaveBeenCalled()
  expect(getSession()).toMatchObject({ accessToken: 'access-1' })
})
