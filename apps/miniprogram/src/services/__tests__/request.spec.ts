import { ErrorCode } from '@qihu/contracts'
import { ApiError, NETWORK_ERROR, NETWORK_ERROR_MESSAGE, RETRY_DELAYS_MS, request } from '../request'
import { resetSessionCache, saveSession } from '../session'
import { fakeTaro, resetFakeTaro } from '../../testing/fake-taro'
import { FIRM_CONTACT, meView, session } from '../../testing/fixtures'

// Taro.request is the boundary to the platform (wx.request / fetch): everything behind it is real.
jest.mock('@tarojs/taro', () => require('../../testing/fake-taro'))
const taroRequest = fakeTaro.request

const ok = (data: unknown, statusCode = 200) => Promise.resolve({ statusCode, data, header: {} })
const offline = () => Promise.reject({ errMsg: 'request:fail timeout' })
const calls = () => taroRequest.mock.calls.map(([options]) => options)

/** Resolves `promise` while letting the retry backoff elapse on fake timers. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error) => ({ error }),
  )
  await jest.runAllTimersAsync()
  const result = (await outcome) as { value?: T; error?: unknown }
  if ('error' in result) throw result.error
  return result.value as T
}

beforeEach(() => {
  jest.useFakeTimers()
  resetFakeTaro()
  resetSessionCache()
})

afterEach(() => jest.useRealTimers())

describe('request', () => {
  it('prefixes the API base from .env.weapp and sends JSON', async () => {
    taroRequest.mockImplementation(() => ok({ firmId: 1 }))

    await expect(request('/api/v1/intake/defaults')).resolves.toEqual({ firmId: 1 })

    expect(calls()).toEqual([
      expect.objectContaining({
        url: 'http://127.0.0.1:3000/api/v1/intake/defaults',
        method: 'GET',
        dataType: 'json',
        header: { 'Content-Type': 'application/json' },
      }),
    ])
  })

  it("sends the session's access token once there is one", async () => {
    taroRequest.mockImplementation(() => ok({}))
    saveSession({ ...session(meView([FIRM_CONTACT])), accessToken: 't0k3n' })

    await request('/api/v1/tickets/1')

    expect(calls()[0].header.Authorization).toBe('Bearer t0k3n')
  })

  it('sends no token on the calls made without a session', async () => {
    taroRequest.mockImplementation(() => ok([]))
    saveSession(session(meView([FIRM_CONTACT])))

    await request('/api/v1/auth/demo-people', { auth: false })

    expect(calls()[0].header).not.toHaveProperty('Authorization')
  })

  it("turns an error body into an ApiError with the server's code, message, status and errorId", async () => {
    taroRequest.mockImplementation(() =>
      ok({ code: ErrorCode.FirmNotFound, message: '企业不存在', errorId: 'e-42' }, 404),
    )

    const error = await request('/api/v1/tickets/9').catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'FIRM_NOT_FOUND', message: '企业不存在', status: 404, errorId: 'e-42' })
  })

  it('gives a Chinese message when a gateway answers without an error body', async () => {
    taroRequest.mockImplementation(() => ok('<html>502 Bad Gateway</html>', 502))

    const error = await settle(request('/api/v1/tickets/9')).catch((e: unknown) => e)

    expect(error).toMatchObject({ code: ErrorCode.ServiceUnavailable, message: '服务暂时不可用，请稍后再试', status: 502 })
  })

  it('retries a keyed POST after a network failure, reusing the same Idempotency-Key', async () => {
    const ticket = { id: 7, number: 'QH20261123-0001' }
    taroRequest.mockImplementationOnce(offline).mockImplementationOnce(offline).mockImplementation(() => ok(ticket, 201))

    const result = await settle(
      request('/api/v1/tickets', { method: 'POST', data: { firmId: 1, categoryId: 2 }, idempotencyKey: 'key-12345678' }),
    )

    expect(result).toEqual(ticket)
    expect(calls()).toHaveLength(3)
    for (const options of calls()) {
      expect(options).toMatchObject({
        url: 'http://127.0.0.1:3000/api/v1/tickets',
        method: 'POST',
        data: { firmId: 1, categoryId: 2 },
      })
      expect(options.header['Idempotency-Key']).toBe('key-12345678')
    }
  })

  it('retries a GET on 5xx with backoff between attempts', async () => {
    taroRequest
      .mockImplementationOnce(() => ok({ code: ErrorCode.Internal, message: '服务器开小差了，请稍后再试' }, 500))
      .mockImplementation(() => ok({ id: 7 }))

    const pending = request('/api/v1/tickets/7')
    await jest.advanceTimersByTimeAsync(RETRY_DELAYS_MS[0] - 1)
    expect(calls()).toHaveLength(1)
    await jest.advanceTimersByTimeAsync(1)

    await expect(pending).resolves.toEqual({ id: 7 })
    expect(calls()).toHaveLength(2)
  })

  it('gives up after the last retry with the Chinese network message', async () => {
    taroRequest.mockImplementation(offline)

    const error = await settle(request('/api/v1/tickets/7')).catch((e: unknown) => e)

    expect(error).toMatchObject({ code: NETWORK_ERROR, message: NETWORK_ERROR_MESSAGE, status: 0 })
    expect(calls()).toHaveLength(1 + RETRY_DELAYS_MS.length)
  })

  it('does not retry a POST without an Idempotency-Key', async () => {
    taroRequest.mockImplementation(offline)

    const error = await settle(request('/api/v1/tickets', { method: 'POST', data: {} })).catch((e: unknown) => e)

    expect(error).toMatchObject({ code: NETWORK_ERROR, message: '网络不给力，请稍后重试' })
    expect(calls()).toHaveLength(1)
    expect(calls()[0].header).not.toHaveProperty('Idempotency-Key')
  })

  it('does not retry a 4xx', async () => {
    taroRequest.mockImplementation(() =>
      ok({ code: ErrorCode.ValidationFailed, message: '提交的内容有误，请检查后重试' }, 400),
    )

    const error = await settle(
      request('/api/v1/tickets', { method: 'POST', data: {}, idempotencyKey: 'key-12345678' }),
    ).catch((e: unknown) => e)

    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 })
    expect(calls()).toHaveLength(1)
  })
})
