import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import type { DemoPerson } from '@qihu/contracts'

interface Props {
  people: DemoPerson[]
  disabled: boolean
  onPick: (person: DemoPerson) => void
}

/** 演示登录: the seeded people, searchable by name or role; tapping one logs in as them. */
export default function DemoPicker({ people, disabled, onPick }: Props) {
  const [query, setQuery] = useState('')
  const q = query.trim()
  const shown = q ? people.filter((p) => p.name.includes(q) || p.scopes.some((r) => r.includes(q))) : people

  return (
    <View className='demo'>
      <Text className='demo__title'>演示登录</Text>
      <Text className='demo__hint'>选择一位演示人员，以其身份登录</Text>
      <Input
        className='demo__search'
        type='text'
        placeholder='搜索姓名或角色，如：网格长'
        value={query}
        onInput={(e) => setQuery(e.detail.value)}
      />
      {shown.length === 0 && <Text className='demo__empty'>没有匹配的演示人员</Text>}
      {shown.map((person) => (
        <View
          key={person.id}
          className='demo__person'
          onClick={() => {
            if (!disabled) onPick(person)
          }}
        >
          <Text className='demo__name'>{person.name}</Text>
          <Text className='demo__roles'>{person.scopes.join('、')}</Text>
        </View>
      ))}
    </View>
  )
}
