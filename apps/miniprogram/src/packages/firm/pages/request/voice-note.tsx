import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { AttachmentView } from '@qihu/contracts'
import { messageOf } from '../../../../services/roles'
import { isNetworkError } from '../../../../services/request'
import { toast } from '../../../../services/toast'
import { uploadFile } from '../../../../services/upload'

/** WeChat stops a recording here by itself. */
export const MAX_VOICE_MS = 60_000

export interface VoiceClip {
  path: string
  durationMs: number
  state: 'uploading' | 'uploaded' | 'failed'
  attachment?: AttachmentView
  error?: string
  /** The upload failed for want of a network: the clip can go with a queued request. */
  retryable?: boolean
}

/**
 * The recorder, where there is one: WeChat has it; Taro's H5 only answers "not supported"
 * (a browser would need getUserMedia), so the voice note is simply not offered there.
 */
export function recorder(): Taro.RecorderManager | null {
  if (process.env.TARO_ENV === 'h5' || typeof Taro.getRecorderManager !== 'function') return null
  const manager = Taro.getRecorderManager()
  return manager && typeof manager.start === 'function' ? manager : null
}

interface Props {
  clip: VoiceClip | null
  onChange: (update: (clip: VoiceClip | null) => VoiceClip | null) => void
}

/** 语音说明: tap to record (up to a minute), tap to stop; it uploads at once; play it back or delete it. */
export default function VoiceNote({ clip, onChange }: Props) {
  const [manager] = useState(recorder)
  const [recordingSince, setRecordingSince] = useState<number | null>(null)
  const [seconds, setSeconds] = useState(0)
  const audio = useRef<Taro.InnerAudioContext | null>(null)

  const upload = (recorded: VoiceClip) => {
    onChange((c) => (c?.path === recorded.path ? { ...c, state: 'uploading', error: undefined } : c))
    uploadFile(recorded.path, { durationMs: recorded.durationMs }).then(
      (attachment) => onChange((c) => (c?.path === recorded.path ? { ...c, state: 'uploaded', attachment } : c)),
      (error) =>
        onChange((c) =>
          c?.path === recorded.path ? { ...c, state: 'failed', error: messageOf(error), retryable: isNetworkError(error) } : c,
        ),
    )
  }

  useEffect(() => {
    if (!manager) return
    manager.onStop((result) => {
      setRecordingSince(null)
      if (!result.tempFilePath) return
      const recorded: VoiceClip = { path: result.tempFilePath, durationMs: result.duration, state: 'uploading' }
      onChange(() => recorded)
      upload(recorded)
    })
    manager.onError(() => {
      setRecordingSince(null)
      toast('录音失败，请检查麦克风权限')
    })
    return () => audio.current?.destroy()
  }, [manager])

  useEffect(() => {
    if (recordingSince === null) return
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - recordingSince) / 1000)), 500)
    return () => clearInterval(timer)
  }, [recordingSince])

  if (!manager) return null

  const toggle = () => {
    if (recordingSince !== null) {
      manager.stop()
      return
    }
    setSeconds(0)
    setRecordingSince(Date.now())
    manager.start({ duration: MAX_VOICE_MS, format: 'aac', sampleRate: 16000, numberOfChannels: 1, encodeBitRate: 48000 })
  }

  const play = () => {
    if (!clip) return
    audio.current?.destroy()
    audio.current = Taro.createInnerAudioContext()
    audio.current.src = clip.path
    audio.current.play()
  }

  if (clip) {
    return (
      <View className='voice-note'>
        <Text className='voice-note__play' onClick={play}>
          {`▶ 语音 ${Math.max(1, Math.round(clip.durationMs / 1000))}秒`}
        </Text>
        {clip.state === 'uploading' && <Text className='voice-note__state'>上传中…</Text>}
        {clip.state === 'failed' && (
          <Text className='voice-note__state voice-note__state--failed' onClick={() => upload(clip)}>
            上传失败，点击重试
          </Text>
        )}
        <Text className='voice-note__delete' onClick={() => onChange(() => null)}>
          删除
        </Text>
      </View>
    )
  }
  return (
    <View className={recordingSince === null ? 'voice-note__record' : 'voice-note__record voice-note__record--on'} onClick={toggle}>
      <Text>{recordingSince === null ? '🎤 点击录音' : `录音中 ${seconds}秒，点击结束`}</Text>
    </View>
  )
}
