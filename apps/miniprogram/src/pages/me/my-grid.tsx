import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { GridView, MicrogridView, RoleAssignmentView } from '@qihu/contracts'
import { getGrid, listGrids, listMicrogrids } from '../../services/org'
import { messageOf } from '../../services/roles'
import { Field } from './my-firm'

/** The grid of a grid role, or the one holding a micro-grid leader's micro-grid. */
async function loadGrid(role: RoleAssignmentView): Promise<GridView | null> {
  if (role.gridId !== null) return getGrid(role.gridId)
  return (await listGrids())[0] ?? null
}

/** 我的网格: the grid and its micro-grids (those the role sees), with firm counts. */
export default function MyGrid({ role }: { role: RoleAssignmentView }) {
  const [grid, setGrid] = useState<GridView | null>(null)
  const [microgrids, setMicrogrids] = useState<MicrogridView[]>([])
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    loadGrid(role)
      .then(async (found) => {
        if (!found) throw new Error('no grid')
        setGrid(found)
        setMicrogrids(await listMicrogrids(found.id))
      })
      .catch((e) => setError(messageOf(e)))
  }, [role.id, role.gridId]) // not `role`: a fresher MeView brings an equal copy

  return (
    <View className='section'>
      <Text className='section__title'>我的网格</Text>
      {grid ? (
        <>
          <Text className='section__name'>{grid.name}</Text>
          <Field label='网格编码' value={grid.code} />
          <Field label='企业数' value={`${grid.firmCount} 家`} />
          <Text className='section__subtitle'>{`微网格（${microgrids.length} 个）`}</Text>
          {microgrids.map((m) => (
            <View key={m.id} className='field'>
              <Text className='field__label'>{m.name}</Text>
              <Text className='field__value'>{`${m.firmCount} 家企业`}</Text>
            </View>
          ))}
        </>
      ) : (
        <Text className='section__hint'>{error ?? '加载中…'}</Text>
      )}
    </View>
  )
}
