import { useEffect, useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import type { PersonView } from '@qihu/contracts'
import { listPeople } from '../../../../services/org'
import { maskPhone, messageOf } from '../../../../services/roles'
import { requireLogin } from '../../../../services/session'
import '../../lists.css'

/** 人员名单: the people of the grid (or the community, for the admin), with masked phones. */
export default function People() {
  const [people, setPeople] = useState<PersonView[] | null>(null)
  const [query, setQuery] = useState('')
  const [error, setError] = useState<string | null>(null)

  const load = () => {
    setError(null)
    listPeople().then(setPeople, (e) => setError(messageOf(e)))
  }

  useEffect(() => {
    if (requireLogin()) load()
  }, [])

  const q = query.trim()
  const shown = (people ?? []).filter(
    (p) => !q || p.name.includes(q) || p.roles.some((r) => r.scopeLabel.includes(q)),
  )

  return (
    <View className='list-page'>
      <View className='search'>
        <Input
          className='search__input'
          type='text'
          placeholder='搜索姓名、角色或企业'
          value={query}
          onInput={(e) => setQuery(e.detail.value)}
        />
      </View>

      {error && (
        <Text className='list-page__error' onClick={load}>
          {`${error}（点击重试）`}
        </Text>
      )}
      {!people && !error && <Text className='list-page__hint'>加载中…</Text>}
      {people && <Text className='list-page__hint'>{`共 ${shown.length} 人`}</Text>}

      <View className='group'>
        {shown.map((person) => (
          <View key={person.id} className='row'>
            <View className='row__head'>
              <Text className='row__name'>{person.name}</Text>
              <Text className='row__phone'>{person.phone ? maskPhone(person.phone) : '未绑定手机号'}</Text>
            </View>
            {person.roles.map((role) => (
              <Text key={role.id} className='row__detail'>
                {role.scopeLabel}
              </Text>
            ))}
          </View>
        ))}
      </View>
    </View>
  )
}
