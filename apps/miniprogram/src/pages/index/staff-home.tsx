import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { RoleAssignmentView } from '@qihu/contracts'
import LinkRow from '../../components/link-row'
import { listDispatches } from '../../services/dispatch'
import { useOnReturn } from '../../services/page-hooks'
import { canListFirms, canListPeople, canWorkTickets, hasDutyRoster, isCrew } from '../../services/roles'
import { DISPATCHES_PAGE, DUTY_PAGE, INBOX_PAGE } from '../../services/routes'

export const FIRMS_PAGE = '/packages/staff/pages/firms/index'
export const PEOPLE_PAGE = '/packages/staff/pages/people/index'

/** How many of the crew's dispatches are open (the badge on 派单); 0 until known or when it cannot be read. */
function useOpenDispatches(crew: boolean): number {
  const [count, setCount] = useState(0)
  const load = () => {
    if (crew) listDispatches('open').then((open) => setCount(open.length), () => undefined)
  }
  useEffect(load, [crew])
  // Back from the list or a ticket: some were accepted or finished meanwhile.
  useOnReturn(load)
  return count
}

/** Staff home: who I act as now, 待办工单 (or a crew's 派单) first, 我的值班, and the lists that role may read. */
export default function StaffHome({ role }: { role: RoleAssignmentView }) {
  const openDispatches = useOpenDispatches(isCrew(role))
  const links = [
    ...(isCrew(role) ? [{ label: '派单', hint: '接单、导航、到场签到、登记配件与完工', url: DISPATCHES_PAGE, badge: openDispatches }] : []),
    ...(canWorkTickets(role) ? [{ label: '待办工单', hint: '按时限排序，临近超时的在前', url: INBOX_PAGE }] : []),
    ...(hasDutyRoster(role) ? [{ label: '我的值班', hint: '本周与下周的班次、交接班', url: DUTY_PAGE }] : []),
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
        <LinkRow key={link.url} {...link} />
      ))}
    </View>
  )
}
