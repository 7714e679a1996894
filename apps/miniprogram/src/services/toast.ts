import Taro from '@tarojs/taro'
import { messageOf } from './roles'

/** A short Chinese message over the page (no icon: WeChat's success icon cuts text at 7 characters). */
export function toast(title: string): void {
  try {
    void Promise.resolve(Taro.showToast({ title, icon: 'none', duration: 2500 })).catch(() => undefined)
  } catch {
    // no toast on this host: the page shows its own message too
  }
}

/** The server's Chinese message for a failed call (or the network message). */
export function toastError(error: unknown): void {
  toast(messageOf(error))
}
