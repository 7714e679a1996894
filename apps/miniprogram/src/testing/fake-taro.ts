/**
 * A stand-in for `@tarojs/taro` in unit tests: the platform boundary (wx.request / fetch,
 * uploadFile, storage, navigation, wx.login, the camera, recorder, scanner, location and map, toasts,
 * page lifecycle hooks) as jest mocks; everything behind it is the real code.
 * Use with `jest.mock('@tarojs/taro', () => require('<path>/testing/fake-taro'))`.
 */
export const storage = new Map<string, unknown>()

const resolved = () => Promise.resolve({ errMsg: 'ok' })

type Listener = (...args: any[]) => void

/** What a page registered with useDidShow / usePullDownRefresh …; `firePageEvent` calls it. */
const pageEvents = new Map<string, Listener>()
/** App-level listeners (onNetworkStatusChange, onAppShow), as the platform would call them. */
export const appListeners = { networkStatus: [] as Listener[], appShow: [] as Listener[] }

/** The query of the page being shown (useRouter().params). */
export let routerParams: Record<string, string> = {}
export function setRouterParams(params: Record<string, string>): void {
  routerParams = params
}

/** Calls the handler the page registered for `event` ('didShow', 'didHide', 'pullDownRefresh', 'reachBottom'). */
export function firePageEvent(event: string): void {
  const handler = pageEvents.get(event)
  if (!handler) throw new Error(`the page registered no ${event} handler`)
  handler()
}

/** The recorder WeChat gives: a test drives it with `finish` (as if the person tapped stop). */
export const recorderManager = {
  onStopHandler: null as Listener | null,
  start: jest.fn(),
  stop: jest.fn(),
  onStop: jest.fn((handler: Listener) => {
    recorderManager.onStopHandler = handler
  }),
  onError: jest.fn(),
  finish(result: { tempFilePath: string; duration: number }) {
    recorderManager.onStopHandler?.({ ...result, fileSize: 1000 })
  },
}

export const audioContext = { src: '', play: jest.fn(), destroy: jest.fn() }

export const fakeTaro = {
  request: jest.fn(),
  uploadFile: jest.fn(),
  getStorageSync: jest.fn((key: string) => (storage.has(key) ? storage.get(key) : '')),
  setStorageSync: jest.fn((key: string, value: unknown) => {
    storage.set(key, JSON.parse(JSON.stringify(value)))
  }),
  removeStorageSync: jest.fn((key: string) => {
    storage.delete(key)
  }),
  reLaunch: jest.fn(resolved),
  redirectTo: jest.fn(resolved),
  navigateTo: jest.fn(resolved),
  login: jest.fn(() => Promise.resolve({ code: 'wx-test-code', errMsg: 'login:ok' })),
  showToast: jest.fn(resolved),
  stopPullDownRefresh: jest.fn(),
  getNetworkType: jest.fn(() => Promise.resolve({ networkType: 'wifi', errMsg: 'getNetworkType:ok' })),
  onNetworkStatusChange: jest.fn((listener: Listener) => {
    appListeners.networkStatus.push(listener)
  }),
  onAppShow: jest.fn((listener: Listener) => {
    appListeners.appShow.push(listener)
  }),
  chooseMedia: jest.fn(),
  scanCode: jest.fn(),
  getLocation: jest.fn(),
  chooseLocation: jest.fn(),
  openLocation: jest.fn(resolved),
  previewImage: jest.fn(resolved),
  requestSubscribeMessage: jest.fn(),
  getRecorderManager: jest.fn(() => recorderManager),
  createInnerAudioContext: jest.fn(() => audioContext),
}

/** Back to an empty storage and fresh mocks (those without a default keep no implementation). */
export function resetFakeTaro(): void {
  storage.clear()
  pageEvents.clear()
  routerParams = {}
  for (const mock of Object.values(fakeTaro)) mock.mockClear()
  for (const mock of [fakeTaro.request, fakeTaro.uploadFile, fakeTaro.chooseMedia, fakeTaro.scanCode, fakeTaro.getLocation, fakeTaro.chooseLocation, fakeTaro.requestSubscribeMessage]) {
    mock.mockReset()
  }
  fakeTaro.getNetworkType.mockImplementation(() => Promise.resolve({ networkType: 'wifi', errMsg: 'getNetworkType:ok' }))
  recorderManager.onStopHandler = null
  for (const mock of [recorderManager.start, recorderManager.stop, recorderManager.onStop, recorderManager.onError, audioContext.play, audioContext.destroy]) {
    mock.mockClear()
  }
}

export default fakeTaro
export const useLaunch = jest.fn()
export const useRouter = () => ({ params: routerParams, path: '' })
const pageHook = (event: string) => (handler: Listener) => {
  pageEvents.set(event, handler)
}
export const useDidShow = pageHook('didShow')
export const useDidHide = pageHook('didHide')
export const usePullDownRefresh = pageHook('pullDownRefresh')
export const useReachBottom = pageHook('reachBottom')
