import { useEffect, useRef, useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { FIRM_SCALE_LABEL, type FirmView, type MicrogridView } from '@qihu/contracts'
import { listFirms, listMicrogrids } from '../../../../services/org'
import { messageOf } from '../../../../services/roles'
import { requireLogin } from '../../../../services/session'
import '../../lists.css'

interface Group {
  key: string
  title: string
  firms: FirmView[]
}

/** Firms in micro-grid order, one group per micro-grid (the API lists firms by id). */
export function groupByMicrogrid(firms: FirmView[], microgrids: MicrogridView[]): Group[] {
  const groups = microgrids
    .map((m) => ({ key: String(m.id), title: m.name, firms: firms.filter((f) => f.microgridId === m.id) }))
    .filter((g) => g.firms.length > 0)
  const known = new Set(microgrids.map((m) => m.id))
  const rest = firms.filter((f) => !known.has(f.microgridId))
  return rest.length > 0 ? [...groups, { key: 'other', title: '其他', firms: rest }] : groups
}

/** 企业名单: the firms the role sees (a grid, a micro-grid, the community), searchable. */
export default function Firms() {
  const [query, setQuery] = useState('')
  const [firms, setFirms] = useState<FirmView[] | null>(null)
  const [microgrids, setMicrogrids] = useState<MicrogridView[]>([])
  const [error, setError] = useState<string | null>(null)
  // Only the answer to the latest search is shown.
  const latest = useRef(0)

  const search = (q: string) => {
    const ticket = ++latest.current
    setError(null)
    listFirms(q.trim() || undefined).then(
      (found) => ticket === latest.current && setFirms(found),
      (e) => ticket === latest.current && setError(messageOf(e)),
    )
  }

  useEffect(() => {
    if (!requireLogin()) return
    listMicrogrids().then(setMicrogrids, () => undefined)
    search('')
  }, [])

  const groups = firms ? groupByMicrogrid(firms, microgrids) : []

  return (
    <View className='list-page'>
      <View className='search'>
        <Input
          className='search__input'
          type='text'
          confirmType='search'
          placeholder='企业名称或统一社会信用代码'
          value={query}
          onInput={(e) => setQuery(e.detail.value)}
          onConfirm={(e) => search(e.detail.value)}
        />
        <Text className='search__button' onClick={() => search(query)}>
          搜索
        </Text>
      </View>

      {error && <Text className='list-page__error'>{error}</Text>}
      {!firms && !error && <Text className='list-page__hint'>加载中…</Text>}
      {firms && <Text className='list-page__hint'>{`共 ${firms.length} 家企业`}</Text>}

      {groups.map((group) => (
        <View key={group.key} className='group'>
          <Text className='group__title'>{`${group.title}（${group.firms.length}）`}</Text>
          {group.firms.map((firm) => (
            <View key={firm.id} className='row'>
              <View className='row__head'>
                <Text className='row__name'>{firm.name}</Text>
                <Text className={`tag tag--${firm.scale}`}>{FIRM_SCALE_LABEL[firm.scale]}</Text>
              </View>
              <Text className='row__detail'>{[firm.industry, firm.address].filter(Boolean).join(' · ')}</Text>
            </View>
          ))}
        </View>
      ))}
    </View>
  )
}
