import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { CategoryGroup, type CategoryView } from '@qihu/contracts'
import { listCategories } from '../../services/org'
import { requestFormPage } from '../../services/routes'

/** A mark per group, so the grid reads at a glance. */
const GROUP_MARK: Record<CategoryGroup, string> = {
  [CategoryGroup.Safety]: '安',
  [CategoryGroup.Business]: '企',
  [CategoryGroup.Equipment]: '修',
}

/** 按类别提交: one tile per category; a tap opens the request form with it chosen. */
export default function CategoryGrid() {
  const [categories, setCategories] = useState<CategoryView[] | null>(null)

  useEffect(() => {
    // Without them the one-tap call still works: no message for a failure here, and nothing
    // this grid is given may take the home page (and its call button) down with it.
    listCategories().then(
      (found) => setCategories(Array.isArray(found) ? found : []),
      () => setCategories([]),
    )
  }, [])

  if (!categories || categories.length === 0) return null
  return (
    <View className='category-grid'>
      <Text className='category-grid__title'>按类别提交（可附照片、语音、位置）</Text>
      <View className='category-grid__tiles'>
        {categories.map((category) => (
          <View
            key={category.id}
            className='category-grid__tile'
            onClick={() => void Taro.navigateTo({ url: requestFormPage(category.id) })}
          >
            <Text className={`category-grid__mark category-grid__mark--${category.group}`}>{GROUP_MARK[category.group]}</Text>
            <Text className='category-grid__name'>{category.name}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
