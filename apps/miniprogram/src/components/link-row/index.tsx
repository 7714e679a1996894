import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import './index.css'

interface Props {
  label: string
  hint: string
  /** The page it opens, or `onTap` for a row that does something first (scan a label). */
  url?: string
  onTap?: () => void
  /** A red count beside the label (unread notifications). */
  badge?: number
}

/** A full-width row that opens a page: a big target for a thumb. */
export default function LinkRow({ label, hint, url, onTap, badge }: Props) {
  const open = () => {
    if (onTap) onTap()
    else if (url) void Taro.navigateTo({ url })
  }
  return (
    <View className='link-row' onClick={open}>
      <View className='link-row__text'>
        <View className='link-row__head'>
          <Text className='link-row__label'>{label}</Text>
          {badge ? <Text className='link-row__badge'>{badge > 99 ? '99+' : String(badge)}</Text> : null}
        </View>
        <Text className='link-row__hint'>{hint}</Text>
      </View>
      <Text className='link-row__arrow'>›</Text>
    </View>
  )
}
