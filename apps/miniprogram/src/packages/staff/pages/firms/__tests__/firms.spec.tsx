import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { FirmScale, GridStatus, MicrogridKind, type FirmView, type MicrogridView } from '@qihu/contracts'
import Firms from '../index'
import { resetSessionCache, saveSession } from '../../../../../services/session'
import { fakeTaro, resetFakeTaro } from '../../../../../testing/fake-taro'
import { API, GRID_LEADER, meView, session, type RequestOptions } from '../../../../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../../../../testing/fake-taro'))
const taroRequest = fakeTaro.request

const mg = (id: number, name: string): MicrogridView => ({
  id, gridId: 2, code: `3302061010010010${id}`, name, kind: MicrogridKind.SmallFirms, status: GridStatus.Active, firmCount: 0,
})
const firm = (id: number, name: string, microgridId: number, scale = FirmScale.Below): FirmView => ({
  id, communityId: 1, gridId: 2, microgridId, name, creditCode: `CC${id}`, scale, industry: '模具制造', address: `滨海大道${id}号`, latitude: null, longitude: null,
})
const FIRMS = [firm(1, '宁波恒达精密机械有限公司', 5, FirmScale.Above), firm(2, '宁波金凯新材料科技有限公司', 6), firm(3, '宁波华越包装印刷有限公司', 6)]

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(meView([GRID_LEADER])))
  taroRequest.mockImplementation(async (o: RequestOptions) => {
    const path = o.url.replace(API, '')
    if (path === '/microgrids') return { statusCode: 200, data: [mg(5, '第一网格一企一格1'), mg(6, '第一网格片区5')] }
    if (path === '/firms') return { statusCode: 200, data: FIRMS }
    if (path === `/firms?q=${encodeURIComponent('金凯')}`) return { statusCode: 200, data: [FIRMS[1]] }
    throw new Error(`unexpected ${o.method} ${o.url}`)
  })
})

it('groups the firms by micro-grid, in micro-grid order, with scale tags', async () => {
  render(<Firms />)

  expect(await screen.findByText('第一网格片区5（2）')).toBeTruthy()
  expect(screen.getByText('第一网格一企一格1（1）')).toBeTruthy()
  expect(screen.getByText('共 3 家企业')).toBeTruthy()
  expect(screen.getByText('规上')).toBeTruthy()
  expect(screen.getAllByText('规下')).toHaveLength(2)
  const titles = [...document.querySelectorAll('.group__title')].map((el) => el.textContent)
  expect(titles).toEqual(['第一网格一企一格1（1）', '第一网格片区5（2）'])
})

it('searches the API by name', async () => {
  render(<Firms />)
  await screen.findByText('共 3 家企业')
  // Taro's H5 <Input> emits `input` with `{ value }` once Stencil has rendered its <input>.
  const host = document.querySelector('taro-input-core')!
  await waitFor(() => expect(host.querySelector('input')).toBeTruthy())
  await act(async () => {
    host.dispatchEvent(new CustomEvent('input', { detail: { value: '金凯' } }))
  })

  fireEvent.click(await screen.findByText('搜索'))

  expect(await screen.findByText('共 1 家企业')).toBeTruthy()
  expect(screen.getByText('宁波金凯新材料科技有限公司')).toBeTruthy()
  expect(screen.queryByText('宁波恒达精密机械有限公司')).toBeNull()
})
