import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { GeoPoint } from '@qihu/contracts'
import { currentPosition } from '../../../../services/location'
import { toast } from '../../../../services/toast'

/** The map picker needs WeChat's map (Taro's H5 one needs a Tencent Maps key we do not have). */
const canChooseOnMap = () => process.env.TARO_ENV !== 'h5'

interface Props {
  /** null: the firm's registered location, filled in by the API. */
  location: GeoPoint | null
  onChange: (location: GeoPoint | null) => void
}

const describe = (p: GeoPoint) => p.address || `${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)}`

/** 诉求地点: the firm's by default; the phone's position or a point on the map instead. */
export default function LocationField({ location, onChange }: Props) {
  const useHere = async () => {
    try {
      const here = await currentPosition()
      onChange({ latitude: here.latitude, longitude: here.longitude })
    } catch {
      toast('无法获取当前位置，请检查定位权限')
    }
  }

  const chooseOnMap = async () => {
    try {
      const place = await Taro.chooseLocation({})
      onChange({ latitude: place.latitude, longitude: place.longitude, address: place.name || place.address || undefined })
    } catch {
      // closed without choosing
    }
  }

  return (
    <View className='location-field'>
      <Text className='location-field__value'>{location ? describe(location) : '默认：企业登记地址'}</Text>
      <View className='location-field__actions'>
        <Text className='chip' onClick={useHere}>
          当前位置
        </Text>
        {canChooseOnMap() && (
          <Text className='chip' onClick={chooseOnMap}>
            地图选点
          </Text>
        )}
        {location && (
          <Text className='chip' onClick={() => onChange(null)}>
            恢复默认
          </Text>
        )}
      </View>
    </View>
  )
}
