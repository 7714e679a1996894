import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { RoleAssignmentView } from '@qihu/contracts'
import { canListFirms, canListPeople } from '../../services/roles'

export const FIRMS_PAGE = '/packages/staff/pages/firms/index'
export const PEOPLE_PAGE = '/packages/staff/pages/people/index'

/** Staff home: who I act as now, and the lists that role may read. */
export default function StaffHome({ role }: { role: RoleAssignmentView }) {
  const links = [
    ...(canListFirms(role) ? [{ label: '企业名单', hint: '按微网格查看企业', url: FIRMS_PAGE }] : []),
    ...(canListPeople(role) ? [{ label: '人员名单', hint: '网格员、微网格长与企业联系人', url: PEOPLE_PAGE }] : []),
  ]
  return (
    <View className='staff-home'>
      <View className='role-card'>
        <Text className='role-card__role'>{role.roleLabel}</Text>
        <Text className='role-card__scope'>{role.scopeLabel}</Text>
      </View>
      {links.map((link) => (
        <View key={link.url} className='link-row' onClick={() => void Taro.navigateTo({ url: link.url })}>
          <View className='link-row__text'>
            <Text className='link-row__label'>{link.label}</Text>
            <Text className='link-row__hint'>{link.hint}</Text>
          </View>
          <Text className='link-row__arrow'>›</Text>
        </View>
      ))}
    </View>
  )
}
