import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import TabBar from '../../components/tab-bar'
import { getMe, requireLogin } from '../../services/session'
import { isFirmRole } from '../../services/roles'
import OneTap from './one-tap'
import StaffHome from './staff-home'
import './index.css'

/** 首页: the one-tap call for firm contacts and workers; the role and its lists for staff. */
export default function Index() {
  const [me] = useState(getMe)

  useEffect(() => {
    requireLogin()
  }, [])

  if (!me) return <View className='index' />

  return (
    <View className='index'>
      {isFirmRole(me.activeRole) ? (
        <OneTap />
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
