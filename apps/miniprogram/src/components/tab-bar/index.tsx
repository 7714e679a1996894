import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { HOME_PAGE } from '../../services/session'
import './index.css'

export const ME_PAGE = '/pages/me/index'

const TABS = [
  { key: 'home', label: '首页', url: HOME_PAGE },
  { key: 'me', label: '我的', url: ME_PAGE },
] as const

export type TabKey = (typeof TABS)[number]['key']

/** 首页 | 我的 at the bottom, within the thumb's reach; switching replaces the page. */
export default function TabBar({ current }: { current: TabKey }) {
  return (
    <View className='tab-bar'>
      {TABS.map((tab) => (
        <View
          key={tab.key}
          className={tab.key === current ? 'tab-bar__item tab-bar__item--active' : 'tab-bar__item'}
          onClick={() => {
            if (tab.key !== current) void Taro.redirectTo({ url: tab.url })
          }}
        >
          <Text>{tab.label}</Text>
        </View>
      ))}
    </View>
  )
}
