import { useRef } from 'react'
import { useDidHide, useDidShow } from '@tarojs/taro'

/**
 * Runs `callback` when the page is shown again after another page (or the app) covered it:
 * someone may have acted on what it shows meanwhile. Not on the first show: the page's own
 * mount effect loads it then.
 */
export function useOnReturn(callback: () => void): void {
  const hidden = useRef(false)
  useDidHide(() => {
    hidden.current = true
  })
  useDidShow(() => {
    if (!hidden.current) return
    hidden.current = false
    callback()
  })
}
