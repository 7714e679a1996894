import Taro from '@tarojs/taro'
import { ERROR_MESSAGE, ErrorCode, type ErrorBody } from '@qihu/contracts'

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
}

let authToken: string | null = null

/** Set after login; sent as a bearer token on every call. */
export function setAuthToken(token: string | null): void {
  authToken = token
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET'
  const header: Record<string, string> = { 'Content-Type': 'application/json' }
  if (authToken) header.Authorization = `Bearer ${authToken}`
  if (options.idempotencyKey) header['Idempotency-Key'] = options.idempotencyKey
  const retryable = method === 'GET' || Boolean(options.idempotencyKey)

  for (let attempt = 0; ; attempt++) {
    try {
      return await send<T>({ url: API_BASE + path, method, data: options.data, header })
    } catch (error) {
      const apiError = toApiError(error)
      const transient = apiError.status === 0 || apiError.status >= 500
      if (!retryable || !transient || attempt >= RETRY_DELAYS_MS.length) throw apiError
      await sleep(RETRY_DELAYS_MS[attempt])
    }
  }
}

async function send<T>(options: Taro.request.Option): Promise<T> {
  const response = await Taro.request<T | ErrorBody>({ ...options, dataType: 'json' })
  const { statusCode, data } = response
  if (statusCode >= 200 && statusCode < 300) return data as T
  throw httpError(statusCode, data)
}

function httpError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(body.code, body.message, status, body.errorId)
  // A proxy or gateway answered instead of the API: no error body to show.
  const code = status >= 500 ? ErrorCode.ServiceUnavailable : ErrorCode.Internal
  return new ApiError(code, ERROR_MESSAGE[code], status)
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(NETWORK_ERROR, NETWORK_ERROR_MESSAGE, 0)
}

function isErrorBody(body: unknown): body is ErrorBody {
  const candidate = body as Partial<ErrorBody> | null
  return typeof candidate?.code === 'string' && typeof candidate.message === 'string'
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
