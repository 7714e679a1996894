import { useEffect, useRef, useState, type ReactNode } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import PhotoPicker, { uploadedIds, usePhotoUploads } from '../../../../components/photo-picker'
import { messageOf } from '../../../../services/roles'
import type { TransferTargetView as TransferTarget } from '@qihu/contracts'

interface FrameProps {
  title: string
  confirmLabel: string
  /** False until the input is complete. */
  ready: boolean
  busy: boolean
  error: string | null
  onConfirm: () => void
  onClose: () => void
  children: ReactNode
}

/** A panel from the bottom of the screen, its button within the thumb's reach. */
export function SheetFrame({ title, confirmLabel, ready, busy, error, onConfirm, onClose, children }: FrameProps) {
  return (
    <View className='sheet'>
      <View className='sheet__mask' onClick={() => !busy && onClose()} />
      <View className='sheet__panel'>
        <View className='sheet__head'>
          <Text className='sheet__title'>{title}</Text>
          <Text className='sheet__close' onClick={() => !busy && onClose()}>
            取消
          </Text>
        </View>
        {children}
        {error && <Text className='sheet__error'>{error}</Text>}
        <Button
          className={ready && !busy ? 'sheet__confirm' : 'sheet__confirm sheet__confirm--off'}
          disabled={!ready || busy}
          onClick={onConfirm}
        >
          {busy ? '提交中…' : confirmLabel}
        </Button>
      </View>
    </View>
  )
}

/** What a submit gives back to keep the sheet open without an error from the API (cancelled, or told why). */
export const STAY_OPEN = Symbol('stay-open')

/** Runs one submit at a time and keeps the sheet open with the message when it fails. */
export function useSubmit(onClose: () => void) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const busyRef = useRef(false)
  const run = async (send: () => Promise<unknown>) => {
    if (busyRef.current) return
    busyRef.current = true
    setBusy(true)
    setError(null)
    try {
      if ((await send()) !== STAY_OPEN) onClose()
    } catch (e) {
      setError(messageOf(e))
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }
  return { busy, error, setError, run }
}

export interface TextSheetSpec {
  title: string
  placeholder: string
  confirmLabel: string
  /** The text must be given (a reason, a note); else it may be empty. */
  textRequired: boolean
  withPhotos?: boolean
  maxLength: number
}

interface TextSheetProps {
  spec: TextSheetSpec
  onSubmit: (text: string, photoIds: string[]) => Promise<unknown>
  onClose: () => void
}

/** A reason or a note (退回, 重办, 撤回, 督办), with photos for 办结 and 补充说明. */
export function TextSheet({ spec, onSubmit, onClose }: TextSheetProps) {
  const [text, setText] = useState('')
  const photos = usePhotoUploads()
  const { busy, error, setError, run } = useSubmit(onClose)
  const uploading = photos.photos.some((p) => p.state === 'uploading')
  const hasPhotos = photos.photos.some((p) => p.state === 'uploaded')
  // 补充说明 needs text or a photo; the others their text when it is required.
  const ready = !uploading && (spec.textRequired ? text.trim().length > 0 : !spec.withPhotos || text.trim().length > 0 || hasPhotos)

  const confirm = () => {
    // Nothing is uploading (else the button is off): what failed stays failed until retried.
    if (photos.photos.some((p) => p.state === 'failed')) {
      setError('有照片未上传成功，请点击重试或删除')
      return
    }
    void run(() => onSubmit(text.trim(), uploadedIds(photos.photos)))
  }

  return (
    <SheetFrame title={spec.title} confirmLabel={spec.confirmLabel} ready={ready} busy={busy} error={error} onConfirm={confirm} onClose={onClose}>
      <Textarea
        className='sheet__text'
        placeholder={spec.placeholder}
        maxlength={spec.maxLength}
        value={text}
        onInput={(e) => setText(e.detail.value)}
      />
      {spec.withPhotos && <PhotoPicker uploads={photos} />}
    </SheetFrame>
  )
}

interface TransferSheetProps {
  loadTargets: () => Promise<TransferTarget[]>
  onSubmit: (target: TransferTarget, reason: string) => Promise<unknown>
  onClose: () => void
}

/** 转办: pick who takes it over, and say why. */
export function TransferSheet({ loadTargets, onSubmit, onClose }: TransferSheetProps) {
  const [targets, setTargets] = useState<TransferTarget[] | null>(null)
  const [chosen, setChosen] = useState<TransferTarget | null>(null)
  const [reason, setReason] = useState('')
  const { busy, error, setError, run } = useSubmit(onClose)

  useEffect(() => {
    loadTargets().then(setTargets, (e) => setError(messageOf(e)))
  }, [])

  return (
    <SheetFrame
      title='转办'
      confirmLabel={chosen ? `转给 ${chosen.name}` : '请选择转办对象'}
      ready={Boolean(chosen) && reason.trim().length > 0}
      busy={busy}
      error={error}
      onConfirm={() => chosen && run(() => onSubmit(chosen, reason.trim()))}
      onClose={onClose}
    >
      {targets === null && !error && <Text className='sheet__hint'>加载中…</Text>}
      {targets?.length === 0 && <Text className='sheet__hint'>没有可转办的人员</Text>}
      <View className='sheet__options'>
        {targets?.map((target) => (
          <View
            key={target.personId}
            className={chosen?.personId === target.personId ? 'sheet__option sheet__option--on' : 'sheet__option'}
            onClick={() => setChosen(target)}
          >
            <Text className='sheet__option-name'>{target.name}</Text>
            <Text className='sheet__option-role'>{target.roleLabel}</Text>
          </View>
        ))}
      </View>
      <Textarea
        className='sheet__text sheet__text--short'
        placeholder='转办原因'
        maxlength={500}
        value={reason}
        onInput={(e) => setReason(e.detail.value)}
      />
    </SheetFrame>
  )
}

const STARS = [1, 2, 3, 4, 5]
const RATING_WORDS = ['', '很不满意', '不满意', '一般', '满意', '非常满意']

interface RateSheetProps {
  /** What the firm is confirming, e.g. the bill's total. */
  summary?: string
  onSubmit: (rating: number, comment: string) => Promise<unknown>
  onClose: () => void
}

/** 确认并评价: 1–5 stars (large, one tap each) and an optional comment. */
export function RateSheet({ summary, onSubmit, onClose }: RateSheetProps) {
  const [rating, setRating] = useState(0)
  const [comment, setComment] = useState('')
  const { busy, error, run } = useSubmit(onClose)

  return (
    <SheetFrame
      title='确认并评价'
      confirmLabel={rating ? `提交评价（${rating}星）` : '请点星评分'}
      ready={rating > 0}
      busy={busy}
      error={error}
      onConfirm={() => run(() => onSubmit(rating, comment.trim()))}
      onClose={onClose}
    >
      {summary && <Text className='sheet__summary'>{summary}</Text>}
      <View className='stars'>
        {STARS.map((star) => (
          <Text key={star} className={star <= rating ? 'star star--on' : 'star'} onClick={() => setRating(star)}>
            ★
          </Text>
        ))}
      </View>
      <Text className='stars__word'>{RATING_WORDS[rating] || '对这次处理满意吗？'}</Text>
      <Textarea
        className='sheet__text sheet__text--short'
        placeholder='说说处理得怎么样（选填）'
        maxlength={500}
        value={comment}
        onInput={(e) => setComment(e.detail.value)}
      />
    </SheetFrame>
  )
}
