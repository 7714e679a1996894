import { useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import type { AttachmentView } from '@qihu/contracts'
import { isNetworkError } from '../../services/request'
import { messageOf } from '../../services/roles'
import { uploadFile } from '../../services/upload'
import './index.css'

/** A request takes up to 9 photos (CreateTicketRequest.photoIds). */
export const MAX_PHOTOS = 9

export interface PickedPhoto {
  /** The phone's temporary file (a blob: URL on H5): the thumbnail, and what is uploaded. */
  path: string
  fileName?: string
  state: 'uploading' | 'uploaded' | 'failed'
  attachment?: AttachmentView
  error?: string
  /** The upload failed for want of a network: the photo can go with a queued request. */
  retryable?: boolean
}

export interface PhotoUploads {
  photos: PickedPhoto[]
  /** Opens the camera / album and uploads each photo picked right away. */
  pick: () => Promise<void>
  remove: (path: string) => void
  retry: (path: string) => void
  /** Resolves once no upload is under way (before a submit). */
  settled: () => Promise<PickedPhoto[]>
  reset: () => void
}

/** The photos of a form, each uploaded (POST /uploads) as soon as it is picked. */
export function usePhotoUploads(max = MAX_PHOTOS): PhotoUploads {
  const [photos, setPhotos] = useState<PickedPhoto[]>([])
  // The latest list for `settled`, and the uploads in flight.
  const latest = useRef<PickedPhoto[]>([])
  const inFlight = useRef(new Set<Promise<void>>())

  const change = (update: (current: PickedPhoto[]) => PickedPhoto[]) => {
    latest.current = update(latest.current)
    setPhotos(latest.current)
  }

  const upload = (photo: PickedPhoto) => {
    const patch = (fields: Partial<PickedPhoto>) =>
      change((current) => current.map((p) => (p.path === photo.path ? { ...p, ...fields } : p)))
    patch({ state: 'uploading', error: undefined })
    const task = uploadFile(photo.path, photo.fileName ? { fileName: photo.fileName } : {})
      .then(
        (attachment) => patch({ state: 'uploaded', attachment }),
        (error) => patch({ state: 'failed', error: messageOf(error), retryable: isNetworkError(error) }),
      )
      .finally(() => inFlight.current.delete(task))
    inFlight.current.add(task)
  }

  const pick = async () => {
    const room = max - latest.current.length
    if (room <= 0) return
    let chosen: Taro.chooseMedia.SuccessCallbackResult
    try {
      chosen = await Taro.chooseMedia({ count: room, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'] })
    } catch {
      return // the person closed the picker
    }
    const picked = chosen.tempFiles.slice(0, room).map((file): PickedPhoto => ({
      path: file.tempFilePath,
      // H5 keeps the picked File: its name (and extension) goes up with it.
      fileName: (file as { originalFileObj?: File }).originalFileObj?.name,
      state: 'uploading',
    }))
    change((current) => [...current, ...picked])
    picked.forEach(upload)
  }

  return {
    photos,
    pick,
    remove: (path) => change((current) => current.filter((p) => p.path !== path)),
    retry: (path) => {
      const photo = latest.current.find((p) => p.path === path)
      if (photo && photo.state === 'failed') upload(photo)
    },
    settled: async () => {
      while (inFlight.current.size > 0) await Promise.all([...inFlight.current])
      return latest.current
    },
    reset: () => change(() => []),
  }
}

/** The ids of the uploaded photos, in the order they were picked. */
export const uploadedIds = (photos: PickedPhoto[]): string[] =>
  photos.flatMap((p) => (p.state === 'uploaded' && p.attachment ? [p.attachment.id] : []))

/** Thumbnails with a remove mark, a retry on a failed upload, and 「+」 while there is room. */
export default function PhotoPicker({ uploads, max = MAX_PHOTOS }: { uploads: PhotoUploads; max?: number }) {
  return (
    <View className='photo-picker'>
      {uploads.photos.map((photo) => (
        <View key={photo.path} className='photo-picker__item'>
          <Image className='photo-picker__thumb' src={photo.path} mode='aspectFill' />
          {photo.state === 'uploading' && <Text className='photo-picker__state'>上传中…</Text>}
          {photo.state === 'failed' && (
            <Text className='photo-picker__state photo-picker__state--failed' onClick={() => uploads.retry(photo.path)}>
              上传失败，点击重试
            </Text>
          )}
          <Text className='photo-picker__remove' onClick={() => uploads.remove(photo.path)}>
            ×
          </Text>
        </View>
      ))}
      {uploads.photos.length < max && (
        <View className='photo-picker__add' onClick={() => void uploads.pick()}>
          <Text className='photo-picker__plus'>＋</Text>
          <Text className='photo-picker__hint'>拍照/相册</Text>
        </View>
      )}
    </View>
  )
}
