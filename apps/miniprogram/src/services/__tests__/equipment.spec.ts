import { equipmentCodeOfLabel, getEquipmentByCode, scanText } from '../equipment'
import { resetSessionCache, saveSession } from '../session'
import { callsTo, ok, serve } from '../../testing/api'
import { fakeTaro, resetFakeTaro } from '../../testing/fake-taro'
import { FIRM_CONTACT, meView, session } from '../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../testing/fake-taro'))

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(meView([FIRM_CONTACT])))
})

describe('equipmentCodeOfLabel', () => {
  it.each([
    // Our labels: the code, then the token that proves a crew stood at the machine.
    ['qihu:e:EQ000001:Zr3kq0x8Yb2LmN4pQs7TuV', 'EQ000001'],
    ['qihu:e:GL-01:Zr3kq0x8Yb2LmN4pQs7TuV', 'GL-01'],
    ['other:e:EQ-0042', 'EQ-0042'],
    ['https://qihu.example/e/EQ-0042', 'EQ-0042'],
    ['https://qihu.example/e/EQ-0042?from=label', 'EQ-0042'],
    ['https://qihu.example/equipment?code=EQ-0042&x=1', 'EQ-0042'],
    ['EQ-0042', 'EQ-0042'],
    ['  EQ-0042\n', 'EQ-0042'],
    ['设备：三号机床', null],
    ['https://qihu.example/about', null],
  ])('reads %j as %j', (scanned, code) => {
    expect(equipmentCodeOfLabel(scanned)).toBe(code)
  })
})

describe('scanText', () => {
  it('gives what the scanner read', async () => {
    fakeTaro.scanCode.mockResolvedValue({ result: 'qihu:e:EQ000001:Zr3kq0x8Yb2LmN4pQs7TuV', errMsg: 'scanCode:ok' })
    await expect(scanText()).resolves.toBe('qihu:e:EQ000001:Zr3kq0x8Yb2LmN4pQs7TuV')
    expect(fakeTaro.scanCode).toHaveBeenCalledWith({ scanType: ['qrCode', 'barCode'] })
  })

  it('is quiet when the person cancels, and says so when there is no scanner', async () => {
    fakeTaro.scanCode.mockRejectedValueOnce({ errMsg: 'scanCode:fail cancel' })
    await expect(scanText()).resolves.toBeNull()
    expect(fakeTaro.showToast).not.toHaveBeenCalled()

    fakeTaro.scanCode.mockRejectedValueOnce({ errMsg: 'scanCode:fail not supported' })
    await expect(scanText()).resolves.toBeNull()
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '无法使用扫码，请手动输入设备编号' }))
  })
})

it('looks a code up with GET /equipment/by-code/:code, escaped', async () => {
  serve({ 'GET /equipment/by-code/EQ%2F1': () => ok({ equipment: { code: 'EQ/1' }, suggestedCategory: null }) })
  await expect(getEquipmentByCode('EQ/1')).resolves.toEqual({ equipment: { code: 'EQ/1' }, suggestedCategory: null })
  expect(callsTo('GET /equipment/by-code/EQ%2F1')[0].header.Authorization).toBe('Bearer access-1')
})
