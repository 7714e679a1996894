import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import LinkRow from '../../components/link-row'
import TabBar from '../../components/tab-bar'
import { getMe, requireLogin } from '../../services/session'
import { isFirmRole } from '../../services/roles'
import { MY_REQUESTS_PAGE } from '../../services/routes'
import CategoryGrid from './category-grid'
import OneTap from './one-tap'
import StaffHome from './staff-home'
import './index.css'

/**
 * 首页: for firm contacts and workers the one-tap call, the categories (for a request with
 * details) and 我的诉求; for staff the role, 待办 and its lists.
 */
export default function Index() {
  const [me] = useState(getMe)

  useEffect(() => {
    requireLogin()
  }, [])

  if (!me) return <View className='index' />

  return (
    <View className='index'>
      {isFirmRole(me.activeRole) ? (
        <>
          <OneTap />
          <LinkRow label='我的诉求' hint='进度、评价与待发送的诉求' url={MY_REQUESTS_PAGE} />
          <CategoryGrid />
        </>
      ) : me.activeRole ? (
        <StaffHome role={me.activeRole} />
      ) : (
        <View className='no-role'>
          <Text className='no-role__title'>{`您好，${me.name}`}</Text>
          <Text className='no-role__hint'>
            {me.needsPhone ? '请先在「我的」中退出后重新登录并授权手机号' : '您的账号暂未分配角色，请联系社区管理员'}
          </Text>
        </View>
      )}
      <TabBar current='home' />
    </View>
  )
}
