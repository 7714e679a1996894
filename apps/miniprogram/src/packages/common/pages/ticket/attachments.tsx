import { useEffect, useRef } from 'react'
import Taro from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { UploadKind, type AttachmentView } from '@qihu/contracts'
import { apiUrl } from '../../../../services/request'

/** Photos (tap: full screen) and voice notes (tap: play) of a ticket or of one of its events. */
export default function Attachments({ items }: { items: AttachmentView[] }) {
  const audio = useRef<Taro.InnerAudioContext | null>(null)
  useEffect(() => () => audio.current?.destroy(), [])

  if (items.length === 0) return null
  const photos = items.filter((a) => a.kind === UploadKind.Image)
  const voices = items.filter((a) => a.kind === UploadKind.Voice)
  const photoUrls = photos.map((p) => apiUrl(p.url))

  const play = (voice: AttachmentView) => {
    audio.current?.destroy()
    audio.current = Taro.createInnerAudioContext()
    audio.current.src = apiUrl(voice.url)
    audio.current.play()
  }

  return (
    <View className='attachments'>
      {photos.map((photo, index) => (
        <Image
          key={photo.id}
          className='attachments__photo'
          src={photoUrls[index]}
          mode='aspectFill'
          onClick={() => void Taro.previewImage({ urls: photoUrls, current: photoUrls[index] })}
        />
      ))}
      {voices.map((voice) => (
        <Text key={voice.id} className='attachments__voice' onClick={() => play(voice)}>
          {voice.durationMs ? `▶ 语音 ${Math.max(1, Math.round(voice.durationMs / 1000))}秒` : '▶ 语音'}
        </Text>
      ))}
    </View>
  )
}
