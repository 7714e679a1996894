/**
 * A stand-in for `@tarojs/taro` in unit tests: the platform boundary (wx.request / fetch,
 * storage, navigation, wx.login) as jest mocks; everything behind it is the real code.
 * Use with `jest.mock('@tarojs/taro', () => require('<path>/testing/fake-taro'))`.
 */
export const storage = new Map<string, unknown>()

const resolved = () => Promise.resolve({ errMsg: 'ok' })

export const fakeTaro = {
  request: jest.fn(),
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
}

/** Back to an empty storage and fresh mocks (the request mock keeps no implementation). */
export function resetFakeTaro(): void {
  storage.clear()
  for (const mock of Object.values(fakeTaro)) mock.mockClear()
  fakeTaro.request.mockReset()
}

export default fakeTaro
export const useLaunch = jest.fn()
