import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { FIRM_SCALE_LABEL, type FirmView } from '@qihu/contracts'
import { getFirm } from '../../services/org'
import { messageOf } from '../../services/roles'

/** 我的企业: the firm a contact or worker belongs to. */
export default function MyFirm({ firmId }: { firmId: number }) {
  const [firm, setFirm] = useState<FirmView | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    getFirm(firmId).then(setFirm, (e) => setError(messageOf(e)))
  }, [firmId])

  return (
    <View className='section'>
      <Text className='section__title'>我的企业</Text>
      {firm ? (
        <>
          <Text className='section__name'>{firm.name}</Text>
          <Field label='统一社会信用代码' value={firm.creditCode} />
          <Field label='企业规模' value={`${FIRM_SCALE_LABEL[firm.scale]}企业`} />
          <Field label='所属行业' value={firm.industry || '—'} />
          <Field label='地址' value={firm.address || '—'} />
        </>
      ) : (
        <Text className='section__hint'>{error ?? '加载中…'}</Text>
      )}
    </View>
  )
}

export function Field({ label, value }: { label: string; value: string }) {
  return (
    <View className='field'>
      <Text className='field__label'>{label}</Text>
      <Text className='field__value'>{value}</Text>
    </View>
  )
}
