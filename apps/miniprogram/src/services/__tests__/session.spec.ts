import { ErrorCode } from '@qihu/contracts'
import { REFRESH_PATH, request } from '../request'
import { LOGIN_PAGE, SESSION_STORAGE_KEY, getSession, resetSessionCache, saveSession } from '../session'
import { fakeTaro, resetFakeTaro, storage } from '../../testing/fake-taro'
import { API, FIRM_CONTACT, meView, session, type Reply, type RequestOptions } from '../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../testing/fake-taro'))

const me = meView([FIRM_CONTACT])
const expired = { statusCode: 401, data: { code: ErrorCode.Unauthenticated, message: '登录已过期，请重新登录' } }
const calls = (): RequestOptions[] => fakeTaro.request.mock.calls.map(([options]) => options)
const refreshCalls = () => calls().filter((o) => o.url === `http://127.0.0.1:3000${REFRESH_PATH}`)

/** The API as far as tokens go: `live` is the access token it accepts; `/auth/refresh` answers `onRefresh`. */
function serve(onRefresh: (options: RequestOptions) => Reply | Promise<Reply>, live = 'access-2') {
  fakeTaro.request.mockImplementation(async (options: RequestOptions) => {
    if (options.url.endsWith(REFRESH_PATH)) return onRefresh(options)
    if (options.header.Authorization !== `Bearer ${live}`) return expired
    return { statusCode: 200, data: { url: options.url, token: options.header.Authorization } }
  })
}

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(me, 1))
})

describe('session storage', () => {
  it('keeps the session in Taro storage and reads it back after a restart', () => {
    expect(storage.get(SESSION_STORAGE_KEY)).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1', me })

    resetSessionCache()

    expect(getSession()).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1', me })
  })
})

describe('an expired access token', () => {
  it('is renewed by ONE refresh shared by concurrent 401s; each call is retried once with the new token', async () => {
    let answer!: (reply: Reply) => void
    serve(() => new Promise<Reply>((resolve) => (answer = resolve)))

    const pending = Promise.all([request('/api/v1/me'), request('/api/v1/firms/11'), request('/api/v1/grids')])
    await new Promise((r) => setTimeout(r, 0))
    // All three got their 401; one refresh is under way, with the stored refresh token.
    expect(refreshCalls()).toHaveLength(1)
    expect(refreshCalls()[0]).toMatchObject({ method: 'POST', data: { refreshToken: 'refresh-1' } })
    expect(refreshCalls()[0].header).not.toHaveProperty('Authorization')

    answer({ statusCode: 200, data: session(me, 2) })
    const results = await pending

    expect(results.map((r: any) => r.token)).toEqual(['Bearer access-2', 'Bearer access-2', 'Bearer access-2'])
    expect(refreshCalls()).toHaveLength(1)
    expect(calls()).toHaveLength(3 + 1 + 3)
  })

  it('stores the rotated refresh token, in memory and in storage, and uses it next time', async () => {
    serve(() => ({ statusCode: 200, data: session(me, 2) }))
    await request('/api/v1/me')

    expect(getSession()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' })
    expect(storage.get(SESSION_STORAGE_KEY)).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' })
    resetSessionCache()
    expect(getSession()).toMatchObject({ refreshToken: 'refresh-2' })

    // The next expiry presents the new refresh token, never the used one.
    serve(() => ({ statusCode: 200, data: session(me, 3) }), 'access-3')
    await request('/api/v1/me')
    expect(refreshCalls().map((o) => o.data.refreshToken)).toEqual(['refresh-1', 'refresh-2'])
    expect(getSession()).toMatchObject({ accessToken: 'access-3', refreshToken: 'refresh-3' })
  })

  it('uses a token renewed meanwhile instead of refreshing again', async () => {
    let releaseLate!: () => void
    const lateGate = new Promise<void>((resolve) => (releaseLate = resolve))
    fakeTaro.request.mockImplementation(async (options: RequestOptions) => {
      if (options.url.endsWith(REFRESH_PATH)) return { statusCode: 200, data: session(me, 2) }
      if (options.header.Authorization === 'Bearer access-2') return { statusCode: 200, data: { token: options.header.Authorization } }
      // The call to /grids was sent with the old token, and its 401 arrives after the renewal.
      if (options.url.endsWith('/grids')) await lateGate
      return expired
    })

    const late = request('/api/v1/grids')
    await expect(request('/api/v1/me')).resolves.toMatchObject({ token: 'Bearer access-2' })
    expect(refreshCalls()).toHaveLength(1)
    releaseLate()

    await expect(late).resolves.toMatchObject({ token: 'Bearer access-2' })
    expect(refreshCalls()).toHaveLength(1)
  })

  it('retries the call only once: a second 401 is the answer', async () => {
    serve(() => ({ statusCode: 200, data: session(me, 2) }), 'never-accepted')

    await expect(request('/api/v1/me')).rejects.toMatchObject({ status: 401, code: ErrorCode.Unauthenticated })
    expect(refreshCalls()).toHaveLength(1)
    expect(calls()).toHaveLength(3)
  })

  it('when the refresh is refused: clears the session and goes to the login page', async () => {
    serve(() => ({ statusCode: 401, data: { code: ErrorCode.RefreshTokenInvalid, message: '登录已失效，请重新登录' } }))

    const results = await Promise.allSettled([request('/api/v1/me'), request('/api/v1/grids')])

    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ message: '登录已失效，请重新登录' })
    expect(refreshCalls()).toHaveLength(1)
    expect(getSession()).toBeNull()
    expect(storage.has(SESSION_STORAGE_KEY)).toBe(false)
    expect(fakeTaro.reLaunch).toHaveBeenCalledTimes(1)
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: LOGIN_PAGE })
  })

  it('keeps the session when the refresh gets no answer (a weak network is no reason to log out)', async () => {
    serve(() => Promise.reject({ errMsg: 'request:fail timeout' }))

    await expect(request('/api/v1/me')).rejects.toMatchObject({ status: 0 })

    expect(getSession()).toMatchObject({ refreshToken: 'refresh-1' })
    expect(fakeTaro.reLaunch).not.toHaveBeenCalled()
  })

  it('without a session, a 401 goes straight to the login page', async () => {
    resetFakeTaro()
    resetSessionCache()
    fakeTaro.request.mockResolvedValue(expired)

    await expect(request('/api/v1/me')).rejects.toMatchObject({ code: ErrorCode.Unauthenticated })

    expect(calls().map((o) => o.url)).toEqual([`${API}/me`])
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: LOGIN_PAGE })
  })

  it('does not refresh for the calls made without a session (a refused login stays an error)', async () => {
    fakeTaro.request.mockResolvedValue({ statusCode: 401, data: { code: ErrorCode.Unauthenticated, message: '请先登录' } })

    await expect(request('/api/v1/auth/logout', { method: 'POST', data: {}, auth: false })).rejects.toMatchObject({ status: 401 })

    expect(calls()).toHaveLength(1)
    expect(fakeTaro.reLaunch).not.toHaveBeenCalled()
  })
})
