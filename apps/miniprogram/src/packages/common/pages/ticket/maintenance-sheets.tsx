import { useEffect, useState } from 'react'
import { Input, Text, Textarea, View } from '@tarojs/components'
import {
  EQUIPMENT_CODE_PATTERN,
  MAINTENANCE_SKILL_LABEL,
  WorkLineKind,
  type CrewCheckInRequest,
  type CrewView,
  type FinishRequest,
  type MaintenanceSkill,
  type PartView,
  type ServiceItemView,
  type WorkLineRequest,
} from '@qihu/contracts'
import PhotoPicker, { uploadedIds, usePhotoUploads } from '../../../../components/photo-picker'
import { listParts, listServiceItems } from '../../../../services/catalogue'
import { scanText } from '../../../../services/equipment'
import { formatYuan } from '../../../../services/format'
import { currentPosition } from '../../../../services/location'
import { messageOf } from '../../../../services/roles'
import { SheetFrame, STAY_OPEN, useSubmit } from './sheets'

const skillLabel = (skill: string) => MAINTENANCE_SKILL_LABEL[skill as MaintenanceSkill] ?? skill

interface DispatchSheetProps {
  loadCrews: () => Promise<CrewView[]>
  /** `crewId` null: the on-duty crew with the skill the machine needs. */
  onSubmit: (crewId: number | null, note: string) => Promise<unknown>
  onClose: () => void
}

/** 派单 by the holder: to the on-duty crew with the needed skill (the default), or to a crew picked from the list. */
export function DispatchSheet({ loadCrews, onSubmit, onClose }: DispatchSheetProps) {
  const [crews, setCrews] = useState<CrewView[] | null>(null)
  const [chosen, setChosen] = useState<CrewView | null>(null)
  const [note, setNote] = useState('')
  const { busy, error, setError, run } = useSubmit(onClose)

  useEffect(() => {
    loadCrews().then(setCrews, (e) => setError(messageOf(e)))
  }, [])

  return (
    <SheetFrame
      title='派单'
      confirmLabel={chosen ? `派给 ${chosen.name}` : '自动派单'}
      ready
      busy={busy}
      error={error}
      onConfirm={() => run(() => onSubmit(chosen?.id ?? null, note.trim()))}
      onClose={onClose}
    >
      <View className='sheet__options'>
        <View className={chosen ? 'sheet__option' : 'sheet__option sheet__option--on'} onClick={() => setChosen(null)}>
          <View className='crew-option'>
            <Text className='sheet__option-name'>自动派给值班维修队</Text>
            <Text className='crew-option__detail'>按设备所需技能，派给当前值班、服务本网格的维修队</Text>
          </View>
        </View>
        {crews === null && !error && <Text className='sheet__hint'>加载维修队…</Text>}
        {crews?.map((crew) => (
          <View
            key={crew.id}
            className={chosen?.id === crew.id ? 'sheet__option sheet__option--on' : 'sheet__option'}
            onClick={() => setChosen(crew)}
          >
            <View className='crew-option'>
              <Text className='sheet__option-name'>{crew.name}</Text>
              <Text className='crew-option__detail'>
                {[crew.skills.map(skillLabel).join('、') || '未登记技能', `${crew.members.length}人`].join(' · ')}
              </Text>
            </View>
            <Text className={crew.onDuty ? 'crew-option__duty crew-option__duty--on' : 'crew-option__duty'}>
              {crew.onDuty ? '值班中' : '未值班'}
            </Text>
          </View>
        ))}
      </View>
      <Textarea
        className='sheet__text sheet__text--short'
        placeholder='派单说明（选填），如：3号机主轴异响，带轴承'
        maxlength={500}
        value={note}
        onInput={(e) => setNote(e.detail.value)}
      />
    </SheetFrame>
  )
}

type Proof = 'location' | 'label'

const PROOFS: { key: Proof; name: string; detail: string; confirm: string }[] = [
  { key: 'location', name: '定位签到', detail: '在企业范围内，用手机定位签到', confirm: '用当前位置签到' },
  { key: 'label', name: '扫码签到', detail: '扫描本企业任一台设备上的二维码', confirm: '扫描设备二维码' },
]

interface ArriveSheetProps {
  onSubmit: (proof: CrewCheckInRequest) => Promise<unknown>
  onClose: () => void
}

/**
 * 到场签到 of the crew: the on-site clock stops only on proof of arrival, a position inside the
 * firm's geofence or the QR label of one of its machines. Outside the fence the API says how far.
 */
export function ArriveSheet({ onSubmit, onClose }: ArriveSheetProps) {
  const [proof, setProof] = useState<Proof>('location')
  const { busy, error, setError, run } = useSubmit(onClose)
  const chosen = PROOFS.find((p) => p.key === proof)!

  const confirm = () =>
    run(async () => {
      if (proof === 'label') {
        // What the scanner read goes as it is: the label's token is the proof, the API checks it.
        const scanned = await scanText()
        return scanned === null ? STAY_OPEN : onSubmit({ label: scanned })
      }
      const here = await currentPosition().catch(() => null)
      if (!here) {
        setError('无法获取当前位置，请检查定位权限，或改用扫码签到')
        return STAY_OPEN
      }
      return onSubmit(here)
    })

  return (
    <SheetFrame title='到场签到' confirmLabel={chosen.confirm} ready busy={busy} error={error} onConfirm={confirm} onClose={onClose}>
      <View className='sheet__options'>
        {PROOFS.map((p) => (
          <View key={p.key} className={p.key === proof ? 'sheet__option sheet__option--on' : 'sheet__option'} onClick={() => setProof(p.key)}>
            <View className='crew-option'>
              <Text className='sheet__option-name'>{p.name}</Text>
              <Text className='crew-option__detail'>{p.detail}</Text>
            </View>
          </View>
        ))}
      </View>
    </SheetFrame>
  )
}

/** One entry of the price list or the parts catalogue, as the sheet lists it. */
interface CatalogueChoice {
  code: string
  name: string
  /** The part's spec, or the service item's trade. */
  detail: string
  unit: string
  priceFen: number | null
}

const KINDS: { kind: WorkLineKind; label: string }[] = [
  { kind: WorkLineKind.Service, label: '服务项目' },
  { kind: WorkLineKind.Part, label: '配件' },
]

const LOADERS: Record<WorkLineKind, () => Promise<CatalogueChoice[]>> = {
  [WorkLineKind.Service]: () =>
    listServiceItems().then((items: ServiceItemView[]) =>
      items.map((i) => ({ code: i.code, name: i.name, detail: i.skillLabel, unit: i.unit, priceFen: i.current?.priceFen ?? null })),
    ),
  [WorkLineKind.Part]: () =>
    listParts().then((parts: PartView[]) =>
      parts.map((p) => ({ code: p.code, name: p.name, detail: p.spec, unit: p.unit, priceFen: p.current?.priceFen ?? null })),
    ),
}

const MAX_QUANTITY = 999
/** Enough to pick from with a thumb; a search narrows the rest. */
const SHOWN = 30

interface WorkLineSheetProps {
  onSubmit: (line: WorkLineRequest) => Promise<unknown>
  onClose: () => void
}

/**
 * 登记: a service item from the unified price list or a part from the catalogue, and how many.
 * The price is the API's (of the time of work); a code can be typed when the list cannot be read.
 */
export function WorkLineSheet({ onSubmit, onClose }: WorkLineSheetProps) {
  const [kind, setKind] = useState(WorkLineKind.Service)
  const [lists, setLists] = useState<Partial<Record<WorkLineKind, CatalogueChoice[]>>>({})
  const [loadError, setLoadError] = useState<string | null>(null)
  const [search, setSearch] = useState('')
  const [code, setCode] = useState('')
  const [quantity, setQuantity] = useState(1)
  const { busy, error, run } = useSubmit(onClose)

  useEffect(() => {
    if (lists[kind]) return
    setLoadError(null)
    LOADERS[kind]().then(
      (found) => setLists((current) => ({ ...current, [kind]: found })),
      (e) => setLoadError(`${messageOf(e)}，可直接输入编码`),
    )
  }, [kind])

  const switchTo = (next: WorkLineKind) => {
    setKind(next)
    setCode('')
    setSearch('')
  }

  const needle = search.trim().toLowerCase()
  const shown = (lists[kind] ?? [])
    .filter((c) => !needle || c.code.toLowerCase().includes(needle) || c.name.toLowerCase().includes(needle) || c.detail.toLowerCase().includes(needle))
    .slice(0, SHOWN)
  const chosen = lists[kind]?.find((c) => c.code === code.trim())
  const ready = EQUIPMENT_CODE_PATTERN.test(code.trim()) && Number.isInteger(quantity) && quantity >= 1 && quantity <= MAX_QUANTITY
  const what = chosen ? chosen.name : code.trim()

  return (
    <SheetFrame
      title='登记服务项目或配件'
      confirmLabel={ready ? `登记 ${what} × ${quantity}` : '请选择项目或输入编码'}
      ready={ready}
      busy={busy}
      error={error}
      onConfirm={() => run(() => onSubmit({ kind, code: code.trim(), quantity }))}
      onClose={onClose}
    >
      <View className='work-line__kinds'>
        {KINDS.map((k) => (
          <Text key={k.kind} className={k.kind === kind ? 'work-line__kind work-line__kind--on' : 'work-line__kind'} onClick={() => switchTo(k.kind)}>
            {k.label}
          </Text>
        ))}
      </View>
      <Input className='work-line__search' placeholder='搜索名称、规格或编码' value={search} onInput={(e) => setSearch(e.detail.value)} />
      {loadError && <Text className='sheet__hint'>{loadError}</Text>}
      {!lists[kind] && !loadError && <Text className='sheet__hint'>加载中…</Text>}
      <View className='work-line__list'>
        {shown.map((c) => (
          <View key={c.code} className={c.code === code ? 'sheet__option sheet__option--on' : 'sheet__option'} onClick={() => setCode(c.code)}>
            <View className='crew-option'>
              <Text className='sheet__option-name'>{c.name}</Text>
              <Text className='crew-option__detail'>{[c.detail, c.code].filter(Boolean).join(' · ')}</Text>
            </View>
            <Text className='work-line__price'>{c.priceFen === null ? '未定价' : `¥${formatYuan(c.priceFen)}/${c.unit}`}</Text>
          </View>
        ))}
      </View>
      <View className='work-line__entry'>
        <Input className='work-line__code' placeholder='编码' value={code} onInput={(e) => setCode(e.detail.value)} />
        <Text className='work-line__step' onClick={() => setQuantity((q) => Math.max(1, q - 1))}>
          −
        </Text>
        <Input
          className='work-line__quantity'
          type='number'
          placeholder='数量'
          value={String(quantity)}
          onInput={(e) => setQuantity(Number(e.detail.value))}
        />
        <Text className='work-line__step' onClick={() => setQuantity((q) => Math.min(MAX_QUANTITY, q + 1))}>
          ＋
        </Text>
      </View>
    </SheetFrame>
  )
}

interface FinishSheetProps {
  /** The crew checked in: an on-site finish. Else only a 远程问诊 can finish it. */
  onSite: boolean
  onSubmit: (body: FinishRequest) => Promise<unknown>
  onClose: () => void
}

/** 完工: what was done, photos, and (before any check-in) the 远程问诊 switch: resolved without a visit. */
export function FinishSheet({ onSite, onSubmit, onClose }: FinishSheetProps) {
  const [note, setNote] = useState('')
  const [remote, setRemote] = useState(false)
  const photos = usePhotoUploads()
  const { busy, error, setError, run } = useSubmit(onClose)
  const uploading = photos.photos.some((p) => p.state === 'uploading')
  const ready = !uploading && note.trim().length > 0 && (onSite || remote)

  const confirm = () => {
    if (photos.photos.some((p) => p.state === 'failed')) {
      setError('有照片未上传成功，请点击重试或删除')
      return
    }
    const photoIds = uploadedIds(photos.photos)
    void run(() => onSubmit({ note: note.trim(), ...(photoIds.length ? { photoIds } : {}), ...(remote ? { remote: true } : {}) }))
  }

  return (
    <SheetFrame title='完工' confirmLabel='确认完工' ready={ready} busy={busy} error={error} onConfirm={confirm} onClose={onClose}>
      <Textarea
        className='sheet__text'
        placeholder='完工说明：故障原因、做了什么、试机结果'
        maxlength={1000}
        value={note}
        onInput={(e) => setNote(e.detail.value)}
      />
      <PhotoPicker uploads={photos} />
      {!onSite && (
        <View className='remote-switch' onClick={() => setRemote(!remote)}>
          <View className='remote-switch__text'>
            <Text className='remote-switch__label'>远程问诊</Text>
            <Text className='remote-switch__hint'>未到场，通过电话或视频指导解决（尚未到场签到时须选择）</Text>
          </View>
          <Text className={remote ? 'remote-switch__toggle remote-switch__toggle--on' : 'remote-switch__toggle'}>{remote ? '是' : '否'}</Text>
        </View>
      )}
    </SheetFrame>
  )
}
