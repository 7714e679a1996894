import { ErrorCode } from '@qihu/contracts'
import { fakeTaro } from './fake-taro'
import { API, type Reply, type RequestOptions } from './fixtures'

export type Route = (options: RequestOptions) => Reply | Promise<Reply>

/**
 * Answers Taro.request by `METHOD /path?query` (the part after /api/v1). Anything else gets the
 * API's 404, so a page's side calls (a badge, a category list) need no route of their own.
 */
export function serve(routes: Record<string, Route>): void {
  fakeTaro.request.mockImplementation(async (options: RequestOptions) => {
    const route = routes[`${options.method} ${options.url.replace(API, '')}`]
    if (!route) return { statusCode: 404, data: { code: ErrorCode.NotFound, message: '请求的资源不存在' } }
    return route(options)
  })
}

/** Every Taro.request so far. */
export const calls = (): RequestOptions[] => fakeTaro.request.mock.calls.map(([options]) => options)

/** The calls to one endpoint, e.g. `callsTo('POST /tickets')`. */
export const callsTo = (endpoint: string): RequestOptions[] =>
  calls().filter((o) => `${o.method} ${o.url.replace(API, '')}` === endpoint)

export const ok = (data: unknown, statusCode = 200): Reply => ({ statusCode, data })
export const refused = (statusCode: number, code: ErrorCode, message: string): Reply => ({ statusCode, data: { code, message } })

/** Lets pending promise callbacks and React updates run. */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
