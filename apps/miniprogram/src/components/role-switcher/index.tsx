import { useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { MeView } from '@qihu/contracts'
import { goHome, switchRole } from '../../services/auth'
import { messageOf } from '../../services/roles'
import './index.css'

/** 切换角色: one row per role (by where it applies); tapping another starts over at its home. */
export default function RoleSwitcher({ me }: { me: MeView }) {
  const [switching, setSwitching] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const busy = useRef(false)

  if (me.roles.length < 2) return null

  const choose = async (id: number) => {
    if (busy.current || id === me.activeRole?.id) return
    busy.current = true
    setSwitching(id)
    setError(null)
    try {
      await switchRole(id)
      goHome()
    } catch (e) {
      setError(messageOf(e))
      busy.current = false
      setSwitching(null)
    }
  }

  return (
    <View className='role-switcher'>
      <Text className='role-switcher__title'>切换角色</Text>
      {me.roles.map((role) => {
        const active = role.id === me.activeRole?.id
        return (
          <View
            key={role.id}
            className={active ? 'role-switcher__item role-switcher__item--active' : 'role-switcher__item'}
            onClick={() => choose(role.id)}
          >
            <Text className='role-switcher__label'>{role.scopeLabel}</Text>
            {active && <Text className='role-switcher__mark'>当前</Text>}
            {switching === role.id && <Text className='role-switcher__mark'>切换中…</Text>}
          </View>
        )
      })}
      {error && <Text className='role-switcher__error'>{error}</Text>}
    </View>
  )
}
