import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import {
  EQUIPMENT_CODE_PATTERN,
  Role,
  URGENCY_LABEL,
  Urgency,
  type CategoryView,
  type CreateTicketRequest,
  type EquipmentView,
  type GeoPoint,
  type IntakeDefaultsView,
} from '@qihu/contracts'
import PhotoPicker, { uploadedIds, usePhotoUploads, type PickedPhoto } from '../../../../components/photo-picker'
import { equipmentCodeOfLabel, getEquipmentByCode, scanText } from '../../../../services/equipment'
import { listCategories } from '../../../../services/org'
import { submitRequest, type PendingFile } from '../../../../services/outbox'
import { messageOf } from '../../../../services/roles'
import { MY_REQUESTS_PAGE, ticketPage } from '../../../../services/routes'
import { getMe, requireLogin } from '../../../../services/session'
import { getIntakeDefaults } from '../../../../services/tickets'
import { toast } from '../../../../services/toast'
import LocationField from './location-field'
import VoiceNote, { type VoiceClip } from './voice-note'
import './index.css'

export const MAX_DESCRIPTION = 2000
const URGENCIES = [Urgency.Normal, Urgency.Urgent, Urgency.Critical]
/** Why the form cannot go yet, or null. */
function blocker(photos: PickedPhoto[], voice: VoiceClip | null, equipmentCode: string): string | null {
  const broken = photos.findIndex((p) => p.state === 'failed' && !p.retryable)
  if (broken >= 0) return `第${broken + 1}张照片无法上传：${photos[broken].error}，请删除后再提交`
  if (voice?.state === 'failed' && !voice.retryable) return `语音无法上传：${voice.error}，请删除后再提交`
  if (equipmentCode && !EQUIPMENT_CODE_PATTERN.test(equipmentCode)) return '设备编号只能包含字母、数字和 _ . -'
  return null
}

/** What still has to be uploaded, with the request, once there is a network. */
function unsentFiles(photos: PickedPhoto[], voice: VoiceClip | null): PendingFile[] {
  const files: PendingFile[] = photos.filter((p) => p.state === 'failed').map((p) => ({ path: p.path, kind: 'photo' }))
  if (voice && voice.state === 'failed') files.push({ path: voice.path, kind: 'voice', durationMs: voice.durationMs })
  return files
}

/**
 * 提交诉求: the category (from the home's grid), how urgent, what happened, photos, a voice note,
 * where, which machine; workers may stay anonymous to their firm. Sent at once, or kept as
 * 待发送 when there is no network. Opened from a scanned label (`?equipmentCode=`), or with a
 * label scanned here, it looks the machine up and fills in its code and the equipment-fault category.
 */
export default function RequestForm() {
  const { params } = useRouter()
  const [isWorker] = useState(() => getMe()?.activeRole?.role === Role.Worker)
  const [defaults, setDefaults] = useState<IntakeDefaultsView | null>(null)
  const [categories, setCategories] = useState<CategoryView[]>([])
  const [categoryId, setCategoryId] = useState<number | null>(params.categoryId ? Number(params.categoryId) : null)
  const [urgency, setUrgency] = useState(Urgency.Normal)
  const [description, setDescription] = useState('')
  const [location, setLocation] = useState<GeoPoint | null>(null)
  const [equipmentCode, setEquipmentCode] = useState(params.equipmentCode ?? '')
  /** The machine the code was looked up as, and the code it was looked up by. */
  const [machine, setMachine] = useState<EquipmentView | null>(null)
  const [machineError, setMachineError] = useState<string | null>(null)
  const lookedUp = useRef<string | null>(null)
  const [anonymous, setAnonymous] = useState(true)
  const [voice, setVoice] = useState<VoiceClip | null>(null)
  const photos = usePhotoUploads()
  const [loadError, setLoadError] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const sendingRef = useRef(false)

  useEffect(() => {
    if (!requireLogin()) return
    getIntakeDefaults().then(
      (found) => {
        setDefaults(found)
        setCategoryId((chosen) => chosen ?? found.categoryId)
      },
      (e) => setLoadError(messageOf(e)),
    )
    listCategories().then(setCategories, (e) => setLoadError(messageOf(e)))
    if (params.equipmentCode) void lookUp(params.equipmentCode)
  }, [])

  /** The machine behind `code`: shown under the field, its equipment-fault category chosen. */
  const lookUp = async (code: string) => {
    lookedUp.current = code
    setMachine(null)
    setMachineError(null)
    try {
      const found = await getEquipmentByCode(code)
      if (lookedUp.current !== code) return
      setMachine(found.equipment)
      setEquipmentCode(found.equipment.code)
      if (found.suggestedCategory) setCategoryId(found.suggestedCategory.id)
    } catch (e) {
      if (lookedUp.current === code) setMachineError(messageOf(e))
    }
  }

  const category = categories.find((c) => c.id === categoryId)

  const scan = async () => {
    const scanned = await scanText()
    if (scanned === null) return
    const code = equipmentCodeOfLabel(scanned)
    if (!code) {
      toast('无法识别该二维码，请手动输入设备编号')
      return
    }
    setEquipmentCode(code)
    void lookUp(code)
  }

  /** A code typed in: looked up once the field is left. */
  const typed = () => {
    const code = equipmentCode.trim()
    if (code && code !== lookedUp.current && EQUIPMENT_CODE_PATTERN.test(code)) void lookUp(code)
  }

  const submit = async () => {
    if (sendingRef.current || categoryId === null) return
    sendingRef.current = true
    setSending(true)
    setError(null)
    try {
      // A photo still uploading goes with the request once it is up.
      const settled = await photos.settled()
      const problem = blocker(settled, voice, equipmentCode.trim())
      if (problem) {
        setError(problem)
        return
      }
      const body: CreateTicketRequest = { categoryId, urgency }
      if (description.trim()) body.description = description.trim()
      if (location) body.location = location
      if (equipmentCode.trim()) body.equipmentCode = equipmentCode.trim()
      const photoIds = uploadedIds(settled)
      if (photoIds.length) body.photoIds = photoIds
      if (voice?.state === 'uploaded' && voice.attachment) body.voiceId = voice.attachment.id
      if (isWorker) body.anonymous = anonymous

      const result = await submitRequest({ body, files: unsentFiles(settled, voice), categoryName: category?.name ?? '诉求' })
      if (result.ticket) {
        toast('诉求已提交')
        void Taro.redirectTo({ url: ticketPage(result.ticket.id) })
      } else {
        toast('网络不可用，已保存为待发送，联网后自动提交')
        void Taro.redirectTo({ url: MY_REQUESTS_PAGE })
      }
    } catch (e) {
      setError(messageOf(e))
      toast(messageOf(e))
    } finally {
      sendingRef.current = false
      setSending(false)
    }
  }

  return (
    <View className='request-form'>
      {defaults && <Text className='request-form__firm'>{`为「${defaults.firmName}」提交诉求`}</Text>}
      {loadError && <Text className='request-form__error'>{loadError}</Text>}

      <View className='form-section'>
        <Text className='form-section__title'>诉求类别</Text>
        <View className='choices'>
          {categories.map((c) => (
            <Text
              key={c.id}
              className={c.id === categoryId ? 'choice choice--on' : 'choice'}
              onClick={() => setCategoryId(c.id)}
            >
              {c.name}
            </Text>
          ))}
        </View>
      </View>

      <View className='form-section'>
        <Text className='form-section__title'>紧急程度</Text>
        <View className='segments'>
          {URGENCIES.map((u) => (
            <Text
              key={u}
              className={u === urgency ? `segment segment--on segment--${u}` : 'segment'}
              onClick={() => setUrgency(u)}
            >
              {URGENCY_LABEL[u]}
            </Text>
          ))}
        </View>
      </View>

      <View className='form-section'>
        <Text className='form-section__title'>问题描述</Text>
        <Textarea
          className='request-form__description'
          placeholder='请简要说明遇到的问题（选填）'
          maxlength={MAX_DESCRIPTION}
          value={description}
          onInput={(e) => setDescription(e.detail.value)}
        />
      </View>

      <View className='form-section'>
        <Text className='form-section__title'>现场照片</Text>
        <PhotoPicker uploads={photos} />
        <VoiceNote clip={voice} onChange={setVoice} />
      </View>

      <View className='form-section'>
        <Text className='form-section__title'>地点</Text>
        <LocationField location={location} onChange={setLocation} />
      </View>

      <View className='form-section'>
        <Text className='form-section__title'>设备编号（设备故障时填写）</Text>
        <View className='equipment'>
          <Input
            className='equipment__input'
            type='text'
            placeholder='扫描设备二维码或手动输入'
            value={equipmentCode}
            onInput={(e) => setEquipmentCode(e.detail.value)}
            onBlur={typed}
          />
          <Text className='chip' onClick={scan}>
            扫码
          </Text>
        </View>
        {machine && machine.code === equipmentCode.trim() && (
          <View className='machine'>
            <Text className='machine__name'>{machine.name}</Text>
            <Text className='machine__detail'>
              {[machine.model, machine.maker, machine.locationInPlant].filter(Boolean).join(' · ') || machine.skillLabel}
            </Text>
          </View>
        )}
        {machineError && <Text className='machine__error'>{machineError}</Text>}
      </View>

      {isWorker && (
        <View className='form-section toggle-row' onClick={() => setAnonymous(!anonymous)}>
          <View className='toggle-row__text'>
            <Text className='toggle-row__label'>对本企业匿名</Text>
            <Text className='toggle-row__hint'>企业联系人看不到是谁提交的，社区工作人员仍可见</Text>
          </View>
          <Text className={anonymous ? 'toggle toggle--on' : 'toggle'}>{anonymous ? '匿名' : '实名'}</Text>
        </View>
      )}

      {error && <Text className='request-form__error'>{error}</Text>}

      <View className='submit-bar'>
        <Button
          className={sending ? 'submit-button submit-button--sending' : 'submit-button'}
          disabled={sending || categoryId === null}
          onClick={submit}
        >
          {sending ? '提交中…' : '提交诉求'}
        </Button>
      </View>
    </View>
  )
}
