import Taro from '@tarojs/taro'
import { ERROR_MESSAGE, ErrorCode, type ErrorBody, type Session } from '@qihu/contracts'
import { endSession, getAccessToken, getRefreshToken, saveSession } from './session'

/** '' in the H5 build (served by the API, same origin); an absolute origin for weapp. */
const API_BASE = process.env.TARO_APP_API_BASE

/** Client-side code for "the request never got a response". */
export const NETWORK_ERROR = 'NETWORK'
export const NETWORK_ERROR_MESSAGE = '网络不给力，请稍后重试'

/** Waits before each retry; a weak 4G link in a factory yard usually recovers within a second or two. */
export const RETRY_DELAYS_MS = [300, 1000]

export type ApiErrorCode = ErrorCode | typeof NETWORK_ERROR

/** Every failed call rejects with this; `message` is Chinese and can be shown as is. */
export class ApiError extends Error {
  readonly code: ApiErrorCode
  /** HTTP status; 0 when there was no response. */
  readonly status: number
  /** Present on 500s: the id the API logged the failure under. */
  readonly errorId?: string

  constructor(code: ApiErrorCode, message: string, status: number, errorId?: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.errorId = errorId
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST'
  data?: object
  /** Makes a POST safe to retry: the API returns the same result for the same key. */
  idempotencyKey?: string
  /**
   * false for the calls made without a session (login, refresh, logout, the demo list): no
   * bearer token, and a 401 is the answer rather than a reason to refresh.
   */
  auth?: boolean
}

export const REFRESH_PATH = '/api/v1/auth/refresh'

/** The absolute URL of an API path (or of a signed attachment link, which the API hands out relative). */
export function apiUrl(path: string): string {
  return API_BASE + path
}

/**
 * Sends the call with the session's access token. On 401 UNAUTHENTICATED it renews the
 * session once (shared by every call that got a 401 meanwhile: refresh tokens are single-use)
 * and sends the call once more. When the session cannot be renewed, the login page is shown.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  if (options.auth === false) return sendWithRetries<T>(path, options, null)
  return withSession((token) => sendWithRetries<T>(path, options, token))
}

/**
 * The session handling of `request` for any other way of reaching the API (Taro.uploadFile):
 * `send` gets the headers to add (the bearer token) and, after a 401, is run once more with a
 * renewed token. `send` rejects with an ApiError (see `toApiError` and `responseData`).
 */
export async function withSession<T>(send: (authHeader: Record<string, string>) => Promise<T>): Promise<T> {
  const token = getAccessToken()
  try {
    return await send(authHeader(token))
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || error.code !== ErrorCode.Unauthenticated) throw error
    return send(authHeader(await renewSession(token)))
  }
}

function authHeader(token: string | null): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {}
}

let renewing: Promise<string> | null = null

/** A live access token instead of `stale`: one POST /auth/refresh however many calls ask at once. */
function renewSession(stale: string | null): Promise<string> {
  const current = getAccessToken()
  // Another call renewed the session after this one was sent: just use the new token.
  if (current && current !== stale) return Promise.resolve(current)
  if (!renewing) {
    renewing = refresh().finally(() => {
      renewing = null
    })
  }
  return renewing
}

async function refresh(): Promise<string> {
  const refreshToken = getRefreshToken()
  if (!refreshToken) {
    endSession()
    throw new ApiError(ErrorCode.Unauthenticated, ERROR_MESSAGE[ErrorCode.Unauthenticated], 401)
  }
  try {
    // Never retried: the token is single-use, a repeat would revoke the whole login.
    const session = await sendWithRetries<Session>(REFRESH_PATH, { method: 'POST', data: { refreshToken } }, null)
    return saveSession(session).accessToken
  } catch (error) {
    const apiError = toApiError(error)
    // No answer or a server fault says nothing about the login: keep it for the next try.
    if (apiError.status !== 0 && apiError.status < 500) endSession()
    throw apiError
  }
}

async function sendWithRetries<T>(path: string, options: RequestOptions, header: Record<string, string> | null): Promise<T> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...header }
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey
  const retryable = method === 'GET' || Boolean(options.idempotencyKey)
  const call = () => send<T>({ url: apiUrl(path), method, data: options.data, header: headers })
  return retryable ? withRetries(call) : call().catch((error) => Promise.reject(toApiError(error)))
}

/**
 * Runs `call` again after a network failure or a server fault (5xx), waiting RETRY_DELAYS_MS
 * between attempts; anything else is the answer. Only for calls that are safe to repeat.
 */
export async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      const apiError = toApiError(error)
      const transient = apiError.status === 0 || apiError.status >= 500
      if (!transient || attempt >= RETRY_DELAYS_MS.length) throw apiError
      await sleep(RETRY_DELAYS_MS[attempt])
    }
  }
}

async function send<T>(options: Taro.request.Option): Promise<T> {
  const response = await Taro.request<T | ErrorBody>({ ...options, dataType: 'json' })
  return responseData<T>(response.statusCode, response.data)
}

/** The body of a 2xx answer; any other status as an ApiError with the server's Chinese message. */
export function responseData<T>(statusCode: number, data: unknown): T {
  if (statusCode === 204) return undefined as T
  if (statusCode >= 200 && statusCode < 300) return data as T
  throw httpError(statusCode, data)
}

function httpError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(body.code, body.message, status, body.errorId)
  // A proxy or gateway answered instead of the API: no error body to show.
  const code = status >= 500 ? ErrorCode.ServiceUnavailable : ErrorCode.Internal
  return new ApiError(code, ERROR_MESSAGE[code], status)
}

/** Any failure as an ApiError; what is not one already never got an answer (a network error). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(NETWORK_ERROR, NETWORK_ERROR_MESSAGE, 0)
}

/** True when the call never got an answer: worth keeping and sending again later. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof ApiError && error.status === 0
}

function isErrorBody(body: unknown): body is ErrorBody {
  const candidate = body as Partial<ErrorBody> | null
  return typeof candidate?.code === 'string' && typeof candidate.message === 'string'
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
