import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import LinkRow from '../../components/link-row'
import TabBar from '../../components/tab-bar'
import { equipmentCodeOfLabel, scanText } from '../../services/equipment'
import { getMe, requireLogin } from '../../services/session'
import { isFirmRole } from '../../services/roles'
import { MY_REQUESTS_PAGE, requestFormForEquipment } from '../../services/routes'
import { toast } from '../../services/toast'
import CategoryGrid from './category-grid'
import OneTap from './one-tap'
import StaffHome from './staff-home'
import './index.css'

/** 扫码报修: the machine's QR label opens the request form filled in for that machine. */
async function scanToRequest(): Promise<void> {
  const scanned = await scanText()
  if (scanned === null) return
  const code = equipmentCodeOfLabel(scanned)
  if (code) void Taro.navigateTo({ url: requestFormForEquipment(code) })
  else toast('这不是设备二维码，请扫描设备上的标签')
}

/**
 * 首页: for firm contacts and workers the one-tap call, 扫码报修, 我的诉求 and the categories (for a
 * request with details); for staff the role, 待办 (a crew's 派单) and its lists.
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
          <LinkRow label='扫码报修' hint='扫描设备上的二维码，设备和类别自动填好' onTap={() => void scanToRequest()} />
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
