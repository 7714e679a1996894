import Taro from '@tarojs/taro'

export interface Position {
  latitude: number
  longitude: number
  /** Metres, as the phone reports it. */
  accuracy?: number
}

/**
 * Where the phone is. WeChat gives GCJ-02, the system of Chinese maps and of chooseLocation, so
 * positions line up on a map; a browser (the H5 demo) has only GPS (WGS-84), which Taro's H5
 * getLocation insists on.
 */
export async function currentPosition(): Promise<Position> {
  const type = process.env.TARO_ENV === 'h5' ? 'wgs84' : 'gcj02'
  const here = await Taro.getLocation({ type })
  return { latitude: here.latitude, longitude: here.longitude, accuracy: here.accuracy }
}
