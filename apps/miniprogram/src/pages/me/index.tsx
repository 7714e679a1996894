import { useEffect, useRef, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import type { MeView } from '@qihu/contracts'
import RoleSwitcher from '../../components/role-switcher'
import TabBar from '../../components/tab-bar'
import { fetchMe, logout } from '../../services/auth'
import { hasGrid, isFirmRole, maskPhone } from '../../services/roles'
import { getMe, requireLogin } from '../../services/session'
import MyFirm from './my-firm'
import MyGrid from './my-grid'
import './index.css'

/** 我的: who I am, the role I act in (and the others I hold), my firm or grid, 退出登录. */
export default function Me() {
  const [me, setMe] = useState<MeView | null>(getMe)
  const [leaving, setLeaving] = useState(false)
  const leavingRef = useRef(false)

  useEffect(() => {
    if (!requireLogin()) return
    // Roles may have been given or revoked since login.
    fetchMe().then(setMe, () => undefined)
  }, [])

  if (!me) return <View className='me' />

  const role = me.activeRole
  const quit = () => {
    if (leavingRef.current) return
    leavingRef.current = true
    setLeaving(true)
    void logout()
  }

  return (
    <View className='me'>
      <View className='profile'>
        <Text className='profile__name'>{me.name}</Text>
        <Text className='profile__phone'>{me.phone ? maskPhone(me.phone) : '未绑定手机号'}</Text>
        <Text className='profile__role'>{role ? `当前角色：${role.scopeLabel}` : '暂无角色'}</Text>
      </View>

      <RoleSwitcher me={me} />

      {role && isFirmRole(role) && role.firmId !== null && <MyFirm firmId={role.firmId} />}
      {role && hasGrid(role) && <MyGrid role={role} />}

      <Button className='logout-button' disabled={leaving} onClick={quit}>
        {leaving ? '正在退出…' : '退出登录'}
      </Button>
      <TabBar current='me' />
    </View>
  )
}
