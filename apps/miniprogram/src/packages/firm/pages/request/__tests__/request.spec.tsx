import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { ErrorCode, MaintenanceSkill, type EquipmentScanView } from '@qihu/contracts'
import RequestForm from '../index'
import { OUTBOX_STORAGE_KEY } from '../../../../../services/outbox'
import { resetSessionCache, saveSession } from '../../../../../services/session'
import { callsTo, flush, ok, refused, serve } from '../../../../../testing/api'
import { typeInto } from '../../../../../testing/dom'
import { fakeTaro, recorderManager, resetFakeTaro, setRouterParams, storage } from '../../../../../testing/fake-taro'
import { CATEGORIES, DEFAULTS, FIRM_CONTACT, WORKER, meView, session, ticketView } from '../../../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../../../testing/fake-taro'))

const created = ticketView({ id: 42 })
const upload = (id: string) => ({ statusCode: 201, data: JSON.stringify({ id, kind: 'image', url: `/u/${id}` }) })

/** EQ-0042, a lathe of the caller's firm: a request about it goes under 设备故障 (8). */
const LATHE: EquipmentScanView = {
  equipment: {
    id: 42,
    code: 'EQ-0042',
    name: '数控车床',
    model: 'CK6150',
    maker: '沈阳机床股份有限公司',
    skill: MaintenanceSkill.Mechanical,
    firmId: 11,
    communityId: 1,
    firmName: '宁波恒达精密机械有限公司',
    skillLabel: '机械',
    installedOn: '2021-03-02',
    locationInPlant: '一号车间东侧',
    createdAt: '2026-01-01T00:00:00.000Z',
    retiredAt: null,
  },
  suggestedCategory: { id: 8, name: '设备故障' },
}

function serveApi(createReply = ok(created, 201)) {
  serve({
    'GET /intake/defaults': () => ok(DEFAULTS),
    'GET /categories': () => ok(CATEGORIES),
    'GET /equipment/by-code/EQ-0042': () => ok(LATHE),
    'POST /tickets': () => createReply,
  })
}

const posted = () => callsTo('POST /tickets')

async function openForm(params: Record<string, string> = { categoryId: '2' }) {
  setRouterParams(params)
  render(<RequestForm />)
  await screen.findByText('为「宁波恒达精密机械有限公司」提交诉求')
  await screen.findByText('设备故障')
}

async function submit() {
  fireEvent.click(screen.getByText('提交诉求'))
  await act(flush)
  await act(flush)
}

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(meView([FIRM_CONTACT])))
})

it('opens with the category tapped on the home page and sends it as 普通 with an Idempotency-Key', async () => {
  serveApi()
  await openForm()

  expect(screen.getByText('安全隐患').className).toContain('choice--on')
  await submit()

  expect(posted()).toHaveLength(1)
  expect(posted()[0].data).toEqual({ categoryId: 2, urgency: 'normal' })
  expect(posted()[0].header['Idempotency-Key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
  expect(fakeTaro.redirectTo).toHaveBeenCalledWith({ url: '/packages/common/pages/ticket/index?id=42' })
  expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '诉求已提交' }))
})

it('defaults to the one-tap category when opened without one', async () => {
  serveApi()
  await openForm({})
  await waitFor(() => expect(screen.getByText('综合诉求').className).toContain('choice--on'))
})

it('sends what was filled in: category, urgency, description, photos, location and the scanned equipment', async () => {
  serveApi()
  fakeTaro.chooseMedia.mockResolvedValue({
    type: 'image',
    tempFiles: [
      { tempFilePath: 'wxfile://tmp/a.jpg', size: 1, fileType: 'image' },
      { tempFilePath: 'wxfile://tmp/b.jpg', size: 1, fileType: 'image' },
    ],
  })
  fakeTaro.uploadFile.mockImplementation(async (o: { filePath: string }) => upload(o.filePath.endsWith('a.jpg') ? 'up_a' : 'up_b'))
  fakeTaro.scanCode.mockResolvedValue({ result: 'https://qihu.example/equipment?code=EQ-0042' })
  fakeTaro.getLocation.mockResolvedValue({ latitude: 29.961234, longitude: 121.712346, accuracy: 20 })
  await openForm()

  fireEvent.click(screen.getByText('安全隐患'))
  fireEvent.click(screen.getByText('特急'))
  await typeInto('请简要说明遇到的问题（选填）', '  3号机床主轴异响  ')
  fireEvent.click(screen.getByText('拍照/相册'))
  await act(flush)
  expect(document.querySelectorAll('.photo-picker__item')).toHaveLength(2)
  // The second photo is not wanted after all.
  fireEvent.click(document.querySelectorAll('.photo-picker__remove')[1])
  // The label's machine is looked up: its category is chosen and the machine shown.
  fireEvent.click(screen.getByText('扫码'))
  await act(flush)
  expect(screen.getByText('数控车床')).toBeTruthy()
  expect(screen.getByText('设备故障').className).toContain('choice--on')
  fireEvent.click(screen.getByText('当前位置'))
  await act(flush)
  expect(screen.getByText('29.96123, 121.71235')).toBeTruthy()

  await submit()

  expect(fakeTaro.chooseMedia).toHaveBeenCalledWith(expect.objectContaining({ count: 9, mediaType: ['image'] }))
  expect(fakeTaro.uploadFile).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp/a.jpg', name: 'file' }))
  expect(posted()[0].data).toEqual({
    categoryId: 8,
    urgency: 'critical',
    description: '3号机床主轴异响',
    photoIds: ['up_a'],
    location: { latitude: 29.961234, longitude: 121.712346 },
    equipmentCode: 'EQ-0042',
  })
})

it('records a voice note (AAC), uploads it with its length and sends its id', async () => {
  serveApi()
  fakeTaro.uploadFile.mockResolvedValue({ statusCode: 201, data: JSON.stringify({ id: 'up_voice', kind: 'voice' }) })
  await openForm()

  fireEvent.click(screen.getByText('🎤 点击录音'))
  expect(recorderManager.start).toHaveBeenCalledWith(expect.objectContaining({ format: 'aac', duration: 60_000 }))
  fireEvent.click(await screen.findByText(/录音中/))
  expect(recorderManager.stop).toHaveBeenCalled()
  await act(async () => recorderManager.finish({ tempFilePath: 'wxfile://tmp/v.aac', duration: 4200 }))
  await act(flush)

  expect(screen.getByText('▶ 语音 4秒')).toBeTruthy()
  expect(fakeTaro.uploadFile).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp/v.aac', formData: { durationMs: '4200' } }))
  await submit()
  expect(posted()[0].data).toMatchObject({ voiceId: 'up_voice' })
})

it('lets a worker stay anonymous to the firm (the default) or not; a firm contact gets no such switch', async () => {
  serveApi()
  await openForm()
  expect(screen.queryByText('对本企业匿名')).toBeNull()
  await submit()
  expect(posted()[0].data).not.toHaveProperty('anonymous')
})

it('sends anonymous: true for a worker by default, false once switched to 实名', async () => {
  resetSessionCache()
  saveSession(session(meView([WORKER])))
  serveApi()
  await openForm()

  expect(screen.getByText('匿名')).toBeTruthy()
  await submit()
  fireEvent.click(screen.getByText('对本企业匿名'))
  expect(screen.getByText('实名')).toBeTruthy()
  await submit()

  expect(posted().map((o) => o.data.anonymous)).toEqual([true, false])
  // Two taps, two requests: each with a key of its own.
  expect(new Set(posted().map((o) => o.header['Idempotency-Key'])).size).toBe(2)
})

it('keeps the request as 待发送 when there is no network, and shows 我的诉求', async () => {
  serveApi()
  await openForm()
  fakeTaro.getNetworkType.mockResolvedValue({ networkType: 'none', errMsg: 'ok' })
  await typeInto('请简要说明遇到的问题（选填）', '停电')

  await submit()

  expect(posted()).toEqual([])
  expect(storage.get(OUTBOX_STORAGE_KEY)).toMatchObject({
    pending: [{ body: { categoryId: 2, urgency: 'normal', description: '停电' }, categoryName: '安全隐患' }],
  })
  expect(fakeTaro.redirectTo).toHaveBeenCalledWith({ url: '/packages/firm/pages/mine/index' })
  expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络不可用，已保存为待发送，联网后自动提交' }))
})

it("shows the API's message and stays on the form when the request is refused", async () => {
  serveApi(refused(404, ErrorCode.CategoryNotFound, '诉求类别不存在'))
  await openForm()

  await submit()

  expect(screen.getByText('诉求类别不存在')).toBeTruthy()
  expect(fakeTaro.redirectTo).not.toHaveBeenCalled()
  expect(storage.get(OUTBOX_STORAGE_KEY)).toBeUndefined()
})

it('will not send while a photo the API refused is still on it', async () => {
  serveApi()
  fakeTaro.chooseMedia.mockResolvedValue({ type: 'image', tempFiles: [{ tempFilePath: 'wxfile://tmp/x.gif', size: 1, fileType: 'image' }] })
  fakeTaro.uploadFile.mockResolvedValue({
    statusCode: 400,
    data: JSON.stringify({ code: ErrorCode.UploadRejected, message: '文件类型不支持' }),
  })
  await openForm()
  fireEvent.click(screen.getByText('拍照/相册'))
  await act(flush)
  expect(screen.getByText('上传失败，点击重试')).toBeTruthy()

  await submit()

  expect(screen.getByText('第1张照片无法上传：文件类型不支持，请删除后再提交')).toBeTruthy()
  expect(posted()).toEqual([])

  fireEvent.click(document.querySelector('.photo-picker__remove')!)
  await submit()
  expect(posted()).toHaveLength(1)
})

it('refuses an equipment code the API would not take', async () => {
  serveApi()
  await openForm()
  await typeInto('扫描设备二维码或手动输入', '3号 机床')

  await submit()

  expect(screen.getByText('设备编号只能包含字母、数字和 _ . -')).toBeTruthy()
  expect(posted()).toEqual([])
})

describe('opened from a machine\'s label', () => {
  it('with ?equipmentCode= (扫码报修 on the home page): looks the machine up, fills in its code and the equipment-fault category', async () => {
    serveApi()
    await openForm({ equipmentCode: 'EQ-0042' })

    expect(await screen.findByText('数控车床')).toBeTruthy()
    expect(screen.getByText('CK6150 · 沈阳机床股份有限公司 · 一号车间东侧')).toBeTruthy()
    expect(callsTo('GET /equipment/by-code/EQ-0042')).toHaveLength(1)
    await waitFor(() => expect(screen.getByText('设备故障').className).toContain('choice--on'))
    await typeInto('请简要说明遇到的问题（选填）', '主轴异响')
    await submit()

    expect(posted()[0].data).toEqual({ categoryId: 8, urgency: 'normal', description: '主轴异响', equipmentCode: 'EQ-0042' })
  })

  it('takes one of our labels scanned on the form (qihu:e:<code>:<token>) and keeps only the code', async () => {
    serveApi()
    fakeTaro.scanCode.mockResolvedValue({ result: 'qihu:e:EQ-0042:Zr3kq0x8Yb2LmN4pQs7TuV' })
    await openForm({})

    fireEvent.click(screen.getByText('扫码'))
    await act(flush)
    await act(flush)
    expect(screen.getByText('数控车床')).toBeTruthy()
    await submit()

    expect(posted()[0].data).toEqual({ categoryId: 8, urgency: 'normal', equipmentCode: 'EQ-0042' })
  })

  it('looks a typed code up once the field is left', async () => {
    serveApi()
    await openForm()

    await typeInto('扫描设备二维码或手动输入', 'EQ-0042')
    const host = [...document.querySelectorAll('taro-input-core')].find((el) => (el as unknown as { placeholder: string }).placeholder === '扫描设备二维码或手动输入')!
    await act(async () => {
      host.dispatchEvent(new CustomEvent('blur', { detail: { value: 'EQ-0042' } }))
    })
    await act(flush)

    expect(callsTo('GET /equipment/by-code/EQ-0042')).toHaveLength(1)
    expect(screen.getByText('数控车床')).toBeTruthy()
    expect(screen.getByText('设备故障').className).toContain('choice--on')
  })

  it("says when the code is no machine it may report, and keeps the form's category", async () => {
    serve({
      'GET /intake/defaults': () => ok(DEFAULTS),
      'GET /categories': () => ok(CATEGORIES),
      'GET /equipment/by-code/EQ-9999': () => refused(404, ErrorCode.EquipmentNotFound, '设备不存在（编号 EQ-9999）'),
    })
    await openForm({ categoryId: '2', equipmentCode: 'EQ-9999' })

    expect(await screen.findByText('设备不存在（编号 EQ-9999）')).toBeTruthy()
    expect(screen.getByText('安全隐患').className).toContain('choice--on')
  })

  it('says when a scanned QR code is not a machine label, and changes nothing', async () => {
    serveApi()
    fakeTaro.scanCode.mockResolvedValue({ result: '设备：三号机床' })
    await openForm()

    fireEvent.click(screen.getByText('扫码'))
    await act(flush)

    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '无法识别该二维码，请手动输入设备编号' }))
    expect(callsTo('GET /equipment/by-code/EQ-0042')).toEqual([])
  })
})
