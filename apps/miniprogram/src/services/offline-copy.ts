import Taro from '@tarojs/taro'
import { isNetworkError } from './request'
import { getMe } from './session'

const PREFIX = 'qihu.copy.'

/**
 * The answer of a GET that a request must not wait for (the intake defaults, the categories):
 * kept per person after each success and given back when there is no network, so a request can
 * still be raised (and queued) offline.
 */
export async function withOfflineCopy<T>(name: string, fetch: () => Promise<T>): Promise<T> {
  const key = `${PREFIX}${name}.${getMe()?.id ?? 0}`
  try {
    const fresh = await fetch()
    try {
      Taro.setStorageSync(key, { value: fresh })
    } catch {
      // Storage full: the copy is a convenience.
    }
    return fresh
  } catch (error) {
    const stored = isNetworkError(error) ? readCopy<T>(key) : null
    if (stored) return stored.value
    throw error
  }
}

function readCopy<T>(key: string): { value: T } | null {
  try {
    const stored = Taro.getStorageSync(key) as { value: T } | ''
    return stored && 'value' in stored ? stored : null
  } catch {
    return null
  }
}
