import Taro from '@tarojs/taro'
import { EQUIPMENT_CODE_PATTERN, parseEquipmentLabel, type EquipmentScanView } from '@qihu/contracts'
import { request } from './request'
import { toast } from './toast'

const CODE = '[A-Za-z0-9_.-]{1,64}'
/** `…:e:<code>`, with or without the label's `:<token>` after it. */
const SCHEME = new RegExp(`:e:(${CODE})(?::[A-Za-z0-9_-]+)?$`)
/** A link ending in `/e/<code>` (a query or fragment may follow). */
const LINK = new RegExp(`/e/(${CODE})(?:[?#].*)?$`)
/** A link that carries the code as `?code=` (labels printed before the equipment files). */
const CODE_PARAM = /[?&]code=([^&#]+)/

/**
 * The machine code a scanned QR label (or a typed code) stands for: our labels
 * (`qihu:e:<code>:<token>`), any `…:e:<code>` or `…/e/<code>`, a link with `?code=`, or the bare
 * code painted on the machine. null when nothing in it is a machine code.
 */
export function equipmentCodeOfLabel(scanned: string): string | null {
  const text = scanned.trim()
  const ours = parseEquipmentLabel(text)
  if (ours) return ours.code
  const found = SCHEME.exec(text)?.[1] ?? LINK.exec(text)?.[1] ?? safeDecode(CODE_PARAM.exec(text)?.[1])
  if (found && EQUIPMENT_CODE_PATTERN.test(found)) return found
  return EQUIPMENT_CODE_PATTERN.test(text) ? text : null
}

function safeDecode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    return decodeURIComponent(value)
  } catch {
    return undefined
  }
}

/**
 * What the scanner read; null when the person cancelled, or when there is no scanner (a browser
 * has none), which the person is told.
 */
export async function scanText(): Promise<string | null> {
  try {
    const { result } = await Taro.scanCode({ scanType: ['qrCode', 'barCode'] })
    return result
  } catch (error) {
    const cancelled = /cancel/.test(String((error as { errMsg?: string } | null)?.errMsg))
    if (!cancelled) toast('无法使用扫码，请手动输入设备编号')
    return null
  }
}

/** GET /equipment/by-code/:code: the machine and the category a request about it goes under. */
export function getEquipmentByCode(code: string): Promise<EquipmentScanView> {
  return request<EquipmentScanView>(`/api/v1/equipment/by-code/${encodeURIComponent(code)}`)
}
