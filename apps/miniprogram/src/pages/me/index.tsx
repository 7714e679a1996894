import { useEffect, useRef, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import type { MeView } from '@qihu/contracts'
import LinkRow from '../../components/link-row'
import RoleSwitcher from '../../components/role-switcher'
import TabBar from '../../components/tab-bar'
import { fetchMe, logout } from '../../services/auth'
import { unreadCount } from '../../services/notifications'
import { useOnReturn } from '../../services/page-hooks'
import { canWorkTickets, hasDutyRoster, hasGrid, isCrew, isFirmRole, maskPhone } from '../../services/roles'
import { DISPATCHES_PAGE, DUTY_PAGE, INBOX_PAGE, MY_REQUESTS_PAGE, NOTIFICATIONS_PAGE } from '../../services/routes'
import { getMe, requireLogin } from '../../services/session'
import MyFirm from './my-firm'
import MyGrid from './my-grid'
import './index.css'

/** 我的: who I am, my requests, 待办 or 派单, 消息通知 (unread count), the role I act in (and the others I hold), my firm or grid, 退出登录. */
export default function Me() {
  const [me, setMe] = useState<MeView | null>(getMe)
  const [leaving, setLeaving] = useState(false)
  const [unread, setUnread] = useState(0)
  const leavingRef = useRef(false)

  const loadUnread = () => {
    unreadCount().then(setUnread, () => undefined)
  }

  useEffect(() => {
    if (!requireLogin()) return
    // Roles may have been given or revoked since login.
    fetchMe().then(setMe, () => undefined)
    loadUnread()
  }, [])
  // Back from 消息通知: some were read there.
  useOnReturn(loadUnread)

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

      {role && isFirmRole(role) && <LinkRow label='我的诉求' hint='进度、评价与待发送的诉求' url={MY_REQUESTS_PAGE} />}
      {role && isCrew(role) && <LinkRow label='派单' hint='接单、导航、到场签到、登记配件与完工' url={DISPATCHES_PAGE} />}
      {role && canWorkTickets(role) && <LinkRow label='待办工单' hint='按时限排序，临近超时的在前' url={INBOX_PAGE} />}
      {role && hasDutyRoster(role) && <LinkRow label='我的值班' hint='本周与下周的班次、交接班' url={DUTY_PAGE} />}
      <LinkRow label='消息通知' hint='新工单、处理进展与超时提醒' url={NOTIFICATIONS_PAGE} badge={unread} />

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
