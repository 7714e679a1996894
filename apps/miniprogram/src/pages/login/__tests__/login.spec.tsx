import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { ErrorCode, Role } from '@qihu/contracts'
import Login from '../index'
import { HOME_PAGE, getSession, resetSessionCache, saveSession } from '../../../services/session'
import { fakeTaro, resetFakeTaro } from '../../../testing/fake-taro'
import { API, FIRM_CONTACT, GRID_LEADER, meView, roleView, session, type Reply, type RequestOptions } from '../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../testing/fake-taro'))
const taroRequest = fakeTaro.request

const DEMO_PEOPLE = [
  { id: 7, name: '陈主任', roles: ['社区管理员'], scopes: ['滨海示范工业社区 · 社区管理员'] },
  { id: 12, name: '李伟', roles: ['网格长'], scopes: ['第一网格 · 网格长'] },
  { id: 40, name: '王经理', roles: ['企业联系人'], scopes: ['宁波恒达精密机械有限公司 · 企业联系人'] },
]
const calls = (): RequestOptions[] => taroRequest.mock.calls.map(([o]) => o)
const posts = () => calls().filter((o) => o.method === 'POST')

/** Answers by method + path; anything unexpected fails the test. */
function serve(routes: Record<string, (o: RequestOptions) => Reply>) {
  taroRequest.mockImplementation(async (o: RequestOptions) => {
    const route = routes[`${o.method} ${o.url.replace(API, '')}`]
    if (!route) throw new Error(`unexpected ${o.method} ${o.url}`)
    return route(o)
  })
}

const demoOff = () => ({ statusCode: 404, data: { code: ErrorCode.NotFound, message: '请求的资源不存在' } })
const withDemo = (flag: string) => {
  process.env.TARO_APP_DEMO_LOGIN = flag
}

/** Types into Taro's H5 <Input>: its custom element emits `input` with `{ value }` as detail. */
async function typeInto(placeholder: RegExp, value: string) {
  const host = [...document.querySelectorAll('taro-input-core')].find((el) =>
    placeholder.test(String((el as unknown as { placeholder?: string }).placeholder)),
  )
  if (!host) throw new Error(`no input with placeholder ${placeholder}`)
  // Stencil renders the inner <input> asynchronously; a value set before that has nowhere to go.
  await waitFor(() => expect(host.querySelector('input')).toBeTruthy())
  await act(async () => {
    host.dispatchEvent(new CustomEvent('input', { detail: { value, cursor: value.length } }))
  })
}

const initialFlag = process.env.TARO_APP_DEMO_LOGIN

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  withDemo('true')
})

afterAll(() => withDemo(initialFlag ?? ''))

describe('演示登录', () => {
  it('lists the demo people (name and roles) when the API has demo login', async () => {
    serve({ 'GET /auth/demo-people': () => ({ statusCode: 200, data: DEMO_PEOPLE }) })
    render(<Login />)

    expect(await screen.findByText('演示登录')).toBeTruthy()
    expect(screen.getByText('陈主任')).toBeTruthy()
    expect(screen.getByText('滨海示范工业社区 · 社区管理员')).toBeTruthy()
    expect(screen.getByText('王经理')).toBeTruthy()
    expect(calls()[0]).toMatchObject({ method: 'GET', url: `${API}/auth/demo-people` })
    expect(calls()[0].header).not.toHaveProperty('Authorization')
  })

  it('is hidden when the API answers 404 (demo off); the WeChat login stays', async () => {
    serve({ 'GET /auth/demo-people': demoOff })
    render(<Login />)

    await act(() => new Promise((r) => setTimeout(r, 20)))
    expect(taroRequest).toHaveBeenCalledTimes(1)
    expect(screen.queryByText('演示登录')).toBeNull()
    expect(screen.getByText('微信一键登录')).toBeTruthy()
  })

  it('is not even asked for when TARO_APP_DEMO_LOGIN is not true (the WeChat build)', async () => {
    withDemo('false')
    render(<Login />)

    await act(() => new Promise((r) => setTimeout(r, 20)))
    expect(taroRequest).not.toHaveBeenCalled()
    expect(screen.queryByText('演示登录')).toBeNull()
  })

  it('filters the list by name or role', async () => {
    serve({ 'GET /auth/demo-people': () => ({ statusCode: 200, data: DEMO_PEOPLE }) })
    render(<Login />)
    await screen.findByText('陈主任')

    await typeInto(/搜索姓名或角色/, '网格长')

    expect(screen.getByText('李伟')).toBeTruthy()
    expect(screen.queryByText('陈主任')).toBeNull()
    expect(screen.queryByText('王经理')).toBeNull()
  })

  it('logs in as the person tapped, keeps the session and goes home', async () => {
    const me = meView([FIRM_CONTACT])
    serve({
      'GET /auth/demo-people': () => ({ statusCode: 200, data: DEMO_PEOPLE }),
      'POST /auth/demo-login': () => ({ statusCode: 200, data: session(me, 1) }),
    })
    render(<Login />)

    fireEvent.click(await screen.findByText('王经理'))

    await act(() => new Promise((r) => setTimeout(r, 0)))
    expect(posts()).toHaveLength(1)
    expect(posts()[0]).toMatchObject({ url: `${API}/auth/demo-login`, data: { personId: 40 } })
    expect(getSession()).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1', me })
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: HOME_PAGE })
  })
})

describe('微信一键登录', () => {
  beforeEach(() => withDemo('false'))

  it('sends the wx.login code and goes home when the person is known', async () => {
    serve({ 'POST /auth/wechat-login': () => ({ statusCode: 200, data: session(meView([GRID_LEADER])) }) })
    render(<Login />)

    fireEvent.click(screen.getByText('微信一键登录'))

    await act(() => new Promise((r) => setTimeout(r, 0)))
    expect(fakeTaro.login).toHaveBeenCalledTimes(1)
    expect(posts()).toEqual([expect.objectContaining({ url: `${API}/auth/wechat-login`, data: { code: 'wx-test-code' } })])
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: HOME_PAGE })
  })

  it('asks for the phone when the API needs it, binds it with the token, then goes home', async () => {
    const newcomer = meView([], { name: '微信用户', phone: '', needsPhone: true, activeRole: null })
    const invited = meView([roleView(Role.GridMember, { id: 50, gridId: 2 })], { name: '张网格' })
    serve({
      'POST /auth/wechat-login': () => ({ statusCode: 200, data: session(newcomer, 1) }),
      'POST /auth/bind-phone': () => ({ statusCode: 200, data: session(invited, 2) }),
    })
    render(<Login />)

    fireEvent.click(screen.getByText('微信一键登录'))
    const phoneButton = await screen.findByText('授权手机号')
    expect(fakeTaro.reLaunch).not.toHaveBeenCalled()

    // WeChat fires getphonenumber on the button with the one-time code.
    await act(async () => {
      phoneButton.closest('taro-button-core')!.dispatchEvent(
        new CustomEvent('getphonenumber', { detail: { errMsg: 'getPhoneNumber:ok', code: 'phone-13900000001' }, bubbles: true }),
      )
    })
    await act(() => new Promise((r) => setTimeout(r, 0)))

    expect(posts()[1]).toMatchObject({ url: `${API}/auth/bind-phone`, data: { phoneCode: 'phone-13900000001' } })
    expect(posts()[1].header.Authorization).toBe('Bearer access-1')
    expect(getSession()).toMatchObject({ refreshToken: 'refresh-2', me: invited })
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: HOME_PAGE })
  })

  it("shows the API's message when the login fails", async () => {
    serve({ 'POST /auth/wechat-login': () => ({ statusCode: 429, data: { code: ErrorCode.RateLimited, message: '操作过于频繁，请稍后再试' } }) })
    render(<Login />)

    fireEvent.click(screen.getByText('微信一键登录'))

    expect(await screen.findByText('操作过于频繁，请稍后再试')).toBeTruthy()
    expect(fakeTaro.reLaunch).not.toHaveBeenCalled()
  })

  it('opens on the phone step for a session that still needs a phone', () => {
    saveSession(session(meView([], { needsPhone: true, activeRole: null })))
    render(<Login />)

    expect(screen.getByText('授权手机号')).toBeTruthy()
    expect(screen.queryByText('微信一键登录')).toBeNull()
  })
})
