import { ErrorCode, type CreateTicketRequest } from '@qihu/contracts'
import {
  OUTBOX_STORAGE_KEY,
  failedRequests,
  dismissFailure,
  pendingRequests,
  sendPending,
  startOutbox,
  submitRequest,
} from '../outbox'
import { RETRY_DELAYS_MS } from '../request'
import { resetSessionCache, saveSession } from '../session'
import { appListeners, fakeTaro, resetFakeTaro, storage } from '../../testing/fake-taro'
import { API, FIRM_CONTACT, meView, session, ticketView, type RequestOptions } from '../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../testing/fake-taro'))

const ME = meView([FIRM_CONTACT])
const offline = { errMsg: 'request:fail' }

/**
 * The API's POST /tickets as far as idempotency goes: a key seen before answers the ticket it
 * created (200), a new key creates one (201). `lose` drops the answer of the next N calls after the
 * server has acted on them (the phone sees a network failure); `down` refuses to connect at all.
 */
function fakeApi() {
  const created = new Map<string, { id: number; body: CreateTicketRequest }>()
  const api = {
    created,
    down: false,
    lose: 0,
    refuse: null as null | { statusCode: number; code: ErrorCode; message: string },
    uploads: 0,
    uploadDown: false,
  }
  fakeTaro.request.mockImplementation(async (o: RequestOptions) => {
    if (api.down) throw offline
    if (o.method !== 'POST' || o.url !== `${API}/tickets`) throw new Error(`unexpected ${o.method} ${o.url}`)
    if (api.refuse) return { statusCode: api.refuse.statusCode, data: { code: api.refuse.code, message: api.refuse.message } }
    const key = o.header['Idempotency-Key']
    const replay = created.get(key)
    const ticket = replay ?? { id: 100 + created.size, body: o.data }
    created.set(key, ticket)
    if (api.lose > 0) {
      api.lose--
      throw offline
    }
    return { statusCode: replay ? 200 : 201, data: ticketView({ id: ticket.id, description: o.data.description ?? '' }) }
  })
  fakeTaro.uploadFile.mockImplementation(async (o: { filePath: string }) => {
    if (api.uploadDown) throw { errMsg: 'uploadFile:fail' }
    api.uploads++
    return { statusCode: 201, data: JSON.stringify({ id: `up_${o.filePath.replace(/\W/g, '')}` }) }
  })
  return api
}

const request = (description: string) => ({ body: { categoryId: 1, description }, categoryName: '综合诉求' })
const posts = () => fakeTaro.request.mock.calls.map(([o]) => o as RequestOptions).filter((o) => o.method === 'POST')

/** Runs `promise` to the end while request's retry backoff elapses on fake timers. */
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
  saveSession(session(ME))
})

afterEach(() => jest.useRealTimers())

describe('submitRequest', () => {
  it('sends at once when there is a network, with an Idempotency-Key, and keeps nothing', async () => {
    const api = fakeApi()

    const result = await settle(submitRequest(request('配电柜跳闸')))

    expect(result.ticket).toMatchObject({ id: 100 })
    expect(posts()).toHaveLength(1)
    expect(posts()[0].data).toEqual({ categoryId: 1, description: '配电柜跳闸' })
    expect(posts()[0].header['Idempotency-Key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    expect(api.created.size).toBe(1)
    expect(pendingRequests()).toEqual([])
  })

  it('keeps the request without trying when the phone says there is no network', async () => {
    fakeApi()
    fakeTaro.getNetworkType.mockResolvedValue({ networkType: 'none', errMsg: 'ok' })

    const result = await settle(submitRequest(request('配电柜跳闸')))

    expect(fakeTaro.request).not.toHaveBeenCalled()
    expect(result.queued).toMatchObject({ personId: ME.id, categoryName: '综合诉求', body: { categoryId: 1, description: '配电柜跳闸' } })
    expect(pendingRequests()).toEqual([result.queued])
    // In Taro storage: it survives a restart of the mini-program.
    expect(storage.get(OUTBOX_STORAGE_KEY)).toMatchObject({ pending: [{ idempotencyKey: result.queued!.idempotencyKey }] })
  })

  it('keeps the request, with the key it was tried with, when every attempt fails for want of a network', async () => {
    const api = fakeApi()
    api.down = true

    const result = await settle(submitRequest(request('配电柜跳闸')))

    expect(posts()).toHaveLength(1 + RETRY_DELAYS_MS.length)
    const tried = new Set(posts().map((o) => o.header['Idempotency-Key']))
    expect([...tried]).toEqual([result.queued!.idempotencyKey])
    expect(pendingRequests()).toHaveLength(1)
  })

  it('rejects with the Chinese message, keeping nothing, when the API refuses the request (4xx)', async () => {
    const api = fakeApi()
    api.refuse = { statusCode: 404, code: ErrorCode.CategoryNotFound, message: '诉求类别不存在' }

    await expect(settle(submitRequest(request('x')))).rejects.toMatchObject({ message: '诉求类别不存在', status: 404 })
    expect(pendingRequests()).toEqual([])
  })

  it('uses a new key for each request', async () => {
    fakeApi()
    await settle(submitRequest(request('一')))
    await settle(submitRequest(request('二')))

    const keys = posts().map((o) => o.header['Idempotency-Key'])
    expect(new Set(keys).size).toBe(2)
  })
})

describe('sendPending', () => {
  it('sends a kept request with the SAME key, so one that had reached the server is not created twice', async () => {
    const api = fakeApi()
    // The first attempts reach the server, which creates the ticket; every answer is lost.
    api.lose = 1 + RETRY_DELAYS_MS.length
    const { queued } = await settle(submitRequest(request('配电柜跳闸')))
    expect(queued).toBeDefined()
    expect(api.created.size).toBe(1)

    const report = await settle(sendPending())

    expect(report.sent).toHaveLength(1)
    expect(report.sent[0].id).toBe(api.created.get(queued!.idempotencyKey)!.id)
    expect(api.created.size).toBe(1)
    expect(new Set(posts().map((o) => o.header['Idempotency-Key']))).toEqual(new Set([queued!.idempotencyKey]))
    expect(pendingRequests()).toEqual([])
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '1 条待发送的诉求已送达' }))
  })

  it('keeps every request while the network is still down, and sends them in order once it is back', async () => {
    const api = fakeApi()
    fakeTaro.getNetworkType.mockResolvedValue({ networkType: 'none', errMsg: 'ok' })
    const first = (await settle(submitRequest(request('一')))).queued!
    const second = (await settle(submitRequest(request('二')))).queued!

    api.down = true
    const stillDown = await settle(sendPending())
    expect(stillDown).toEqual({ sent: [], refused: [], waiting: 2 })
    // The round stops at the first failure: the second is not even tried.
    expect(new Set(posts().map((o) => o.header['Idempotency-Key']))).toEqual(new Set([first.idempotencyKey]))
    expect(pendingRequests().map((p) => p.idempotencyKey)).toEqual([first.idempotencyKey, second.idempotencyKey])

    api.down = false
    const report = await settle(sendPending())

    expect(report.sent.map((t) => t.description)).toEqual(['一', '二'])
    expect(api.created.get(first.idempotencyKey)?.body.description).toBe('一')
    expect(api.created.get(second.idempotencyKey)?.body.description).toBe('二')
    expect(pendingRequests()).toEqual([])
  })

  it('drops a request the API refuses (4xx) with a visible message, and still sends the others', async () => {
    const api = fakeApi()
    fakeTaro.getNetworkType.mockResolvedValue({ networkType: 'none', errMsg: 'ok' })
    const doomed = (await settle(submitRequest(request('类别已停用')))).queued!
    await settle(submitRequest(request('正常')))
    fakeTaro.request.mockImplementationOnce(async () => ({
      statusCode: 404,
      data: { code: ErrorCode.CategoryNotFound, message: '诉求类别不存在' },
    }))

    const report = await settle(sendPending())

    expect(report.refused).toEqual([expect.objectContaining({ idempotencyKey: doomed.idempotencyKey, message: '诉求类别不存在' })])
    expect(report.sent.map((t) => t.description)).toEqual(['正常'])
    expect(api.created.size).toBe(1)
    expect(pendingRequests()).toEqual([])
    expect(failedRequests()).toEqual([
      expect.objectContaining({ categoryName: '综合诉求', description: '类别已停用', message: '诉求类别不存在' }),
    ])
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '待发送的诉求未能提交：诉求类别不存在' }))

    dismissFailure(doomed.idempotencyKey)
    expect(failedRequests()).toEqual([])
  })

  it('keeps a request through a server fault (5xx) and an expired login alike', async () => {
    fakeApi()
    fakeTaro.getNetworkType.mockResolvedValue({ networkType: 'none', errMsg: 'ok' })
    await settle(submitRequest(request('一')))
    fakeTaro.request.mockResolvedValue({ statusCode: 503, data: { code: ErrorCode.ServiceUnavailable, message: '服务暂时不可用，请稍后再试' } })

    const report = await settle(sendPending())

    expect(report).toEqual({ sent: [], refused: [], waiting: 1 })
    expect(pendingRequests()).toHaveLength(1)
    expect(failedRequests()).toEqual([])
  })

  it('uploads photos picked offline first, puts their ids in the request, and never uploads one twice', async () => {
    const api = fakeApi()
    fakeTaro.getNetworkType.mockResolvedValue({ networkType: 'none', errMsg: 'ok' })
    await settle(
      submitRequest({
        ...request('漏水'),
        body: { categoryId: 1, description: '漏水', photoIds: ['up_early'] },
        files: [
          { path: 'wxfile://a.jpg', kind: 'photo' },
          { path: 'wxfile://b.jpg', kind: 'photo' },
          { path: 'wxfile://v.aac', kind: 'voice', durationMs: 4200 },
        ],
      }),
    )
    // The first photo goes up, then the network drops: that one is not uploaded again.
    let uploads = 0
    fakeTaro.uploadFile.mockImplementation(async () => {
      if (++uploads > 1) throw { errMsg: 'uploadFile:fail' }
      return { statusCode: 201, data: JSON.stringify({ id: 'up_a' }) }
    })
    expect((await settle(sendPending())).waiting).toBe(1)
    expect(pendingRequests()[0]).toMatchObject({ body: { photoIds: ['up_early', 'up_a'] }, files: [{ path: 'wxfile://b.jpg' }, { path: 'wxfile://v.aac' }] })
    expect(posts()).toEqual([])

    const back = fakeApi()
    const report = await settle(sendPending())

    expect(report.sent).toHaveLength(1)
    expect(back.uploads).toBe(2)
    const uploaded = fakeTaro.uploadFile.mock.calls.map(([o]) => o.filePath)
    expect(uploaded.filter((p: string) => p === 'wxfile://a.jpg')).toHaveLength(1)
    expect(fakeTaro.uploadFile).toHaveBeenLastCalledWith(expect.objectContaining({ filePath: 'wxfile://v.aac', name: 'file', formData: { durationMs: '4200' } }))
    expect(posts()[0].data).toEqual({ categoryId: 1, description: '漏水', photoIds: ['up_early', 'up_a', 'up_wxfilebjpg'], voiceId: 'up_wxfilevaac' })
    expect(api.created.size + back.created.size).toBe(1)
  })

  it('runs one round at a time however many triggers fire together', async () => {
    const api = fakeApi()
    fakeTaro.getNetworkType.mockResolvedValue({ networkType: 'none', errMsg: 'ok' })
    await settle(submitRequest(request('一')))

    const rounds = await settle(Promise.all([sendPending(), sendPending(), sendPending()]))

    expect(rounds[0]).toBe(rounds[1])
    expect(posts()).toHaveLength(1)
    expect(api.created.size).toBe(1)
  })

  it("sends only the current person's requests", async () => {
    const api = fakeApi()
    fakeTaro.getNetworkType.mockResolvedValue({ networkType: 'none', errMsg: 'ok' })
    await settle(submitRequest(request('王经理的')))
    saveSession(session(meView([FIRM_CONTACT], { id: 6, name: '李经理' }), 2))

    expect(pendingRequests()).toEqual([])
    await settle(sendPending())
    expect(api.created.size).toBe(0)

    saveSession(session(ME, 3))
    await settle(sendPending())
    expect(api.created.size).toBe(1)
  })
})

describe('startOutbox', () => {
  it('sends kept requests at launch, when the network comes back and when the app is shown', async () => {
    const api = fakeApi()
    fakeTaro.getNetworkType.mockResolvedValue({ networkType: 'none', errMsg: 'ok' })
    api.down = true
    await settle(submitRequest(request('一')))

    startOutbox()
    await jest.runAllTimersAsync()
    expect(pendingRequests()).toHaveLength(1)

    api.down = false
    appListeners.networkStatus.forEach((listener) => listener({ isConnected: false, networkType: 'none' }))
    await jest.runAllTimersAsync()
    expect(api.created.size).toBe(0)

    appListeners.networkStatus.forEach((listener) => listener({ isConnected: true, networkType: '4g' }))
    await jest.runAllTimersAsync()
    expect(api.created.size).toBe(1)
    expect(pendingRequests()).toEqual([])

    await settle(submitRequest(request('二')))
    appListeners.appShow.forEach((listener) => listener({}))
    await jest.runAllTimersAsync()
    expect(api.created.size).toBe(2)
  })
})
