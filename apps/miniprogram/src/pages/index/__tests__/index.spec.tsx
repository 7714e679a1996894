import { act, fireEvent, render, screen } from '@testing-library/react'
import { ErrorCode, Role, TicketStatus } from '@qihu/contracts'
import Index from '../index'
import { LOGIN_PAGE, resetSessionCache, saveSession } from '../../../services/session'
import { fakeTaro, resetFakeTaro, storage } from '../../../testing/fake-taro'
import { API, CATEGORIES, FIRM_CONTACT, GRID_LEADER, meView, roleView, session, ticketView } from '../../../testing/fixtures'
import { OUTBOX_STORAGE_KEY } from '../../../services/outbox'

// The platform boundary (wx.request / fetch, storage, navigation) is faked; the services behind it are real.
jest.mock('@tarojs/taro', () => require('../../../testing/fake-taro'))
const taroRequest = fakeTaro.request
const defaults = { firmId: 11, firmName: '恒达精密机械有限公司', categoryId: 3, categoryName: '水电报修' }

type Reply = { statusCode: number; data: unknown }
type Route = (options: { url: string; method: string }) => Reply | Promise<Reply> | undefined

/** Answers Taro.request by method + URL; anything unexpected fails the test. */
function serve(route: Route) {
  taroRequest.mockImplementation(async (options) => {
    if (options.method === 'GET' && options.url === `${API}/intake/defaults`) {
      return { statusCode: 200, data: defaults }
    }
    if (options.method === 'GET' && options.url === `${API}/categories`) {
      return { statusCode: 200, data: CATEGORIES }
    }
    const reply = await route(options)
    if (!reply) throw new Error(`unexpected ${options.method} ${options.url}`)
    return reply
  })
}

const posts = () => taroRequest.mock.calls.map(([o]) => o).filter((o) => o.method === 'POST')
const callButton = () => screen.getByText('一键呼叫')

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(meView([FIRM_CONTACT])))
})

describe('a firm contact', () => {

  it('shows the firm and category from the intake defaults and the 一键呼叫 button', async () => {
    serve(() => undefined)
    render(<Index />)

    // No button to tap before it knows whom the call is for.
    expect(screen.getByText('加载中…')).toBeTruthy()
    expect(screen.queryByText('一键呼叫')).toBeNull()
    expect(await screen.findByText('恒达精密机械有限公司')).toBeTruthy()
    expect(screen.getByText('诉求类别：水电报修')).toBeTruthy()
    expect(callButton()).toBeTruthy()
  })

  it('creates one ticket for a double tap and shows its number and status', async () => {
    let answer!: (reply: Reply) => void
    serve((o) =>
      o.method === 'POST' && o.url === `${API}/tickets` ? new Promise<Reply>((resolve) => (answer = resolve)) : undefined,
    )
    render(<Index />)
    await screen.findByText('恒达精密机械有限公司')

    const button = callButton()
    fireEvent.click(button)
    fireEvent.click(button)

    expect(await screen.findByText('呼叫中…')).toBeTruthy()
    expect(posts()).toHaveLength(1)
    // The API fills in the caller's own firm.
    expect(posts()[0].data).toEqual({ categoryId: 3 })
    expect(posts()[0].header.Authorization).toBe('Bearer access-1')
    expect(posts()[0].header['Idempotency-Key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/)

    await act(async () => answer({ statusCode: 201, data: ticketView() }))

    expect(await screen.findByText('工单号：QH20261123-0001')).toBeTruthy()
    expect(screen.getByText('状态：待受理')).toBeTruthy()
    expect(callButton()).toBeTruthy()
  })

  it('uses a new Idempotency-Key for each separate tap', async () => {
    serve((o) => (o.method === 'POST' ? { statusCode: 201, data: ticketView() } : undefined))
    render(<Index />)
    await screen.findByText('恒达精密机械有限公司')

    fireEvent.click(callButton())
    await screen.findByText('工单号：QH20261123-0001')
    fireEvent.click(callButton())
    await screen.findByText('呼叫中…')
    await screen.findByText('一键呼叫')

    const [first, second] = posts().map((o) => o.header['Idempotency-Key'])
    expect(posts()).toHaveLength(2)
    expect(first).not.toBe(second)
  })

  it('refreshes the ticket with 刷新', async () => {
    serve((o) => {
      if (o.method === 'POST') return { statusCode: 201, data: ticketView() }
      if (o.url === `${API}/tickets/7`) {
        return { statusCode: 200, data: ticketView({ status: TicketStatus.Acknowledged, statusLabel: '已受理' }) }
      }
      return undefined
    })
    render(<Index />)
    await screen.findByText('恒达精密机械有限公司')
    fireEvent.click(callButton())
    await screen.findByText('状态：待受理')

    fireEvent.click(screen.getByText('刷新'))

    expect(await screen.findByText('状态：已受理')).toBeTruthy()
  })

  it("shows the server's Chinese message when the call fails", async () => {
    serve((o) =>
      o.method === 'POST'
        ? { statusCode: 404, data: { code: ErrorCode.CategoryNotFound, message: '诉求类别不存在' } }
        : undefined,
    )
    render(<Index />)
    await screen.findByText('恒达精密机械有限公司')

    fireEvent.click(callButton())

    expect(await screen.findByText('诉求类别不存在')).toBeTruthy()
    expect(screen.queryByText(/工单号/)).toBeNull()
    expect(callButton()).toBeTruthy()
  })

  it('shows the network message and a retry when the defaults cannot load', async () => {
    jest.useFakeTimers()
    try {
      taroRequest.mockRejectedValue({ errMsg: 'request:fail' })
      render(<Index />)
      await act(() => jest.runAllTimersAsync())
    } finally {
      jest.useRealTimers()
    }

    expect(screen.getByText('网络不给力，请稍后重试')).toBeTruthy()
    serve(() => undefined)
    fireEvent.click(screen.getByText('重试'))
    expect(await screen.findByText('恒达精密机械有限公司')).toBeTruthy()
  })
})

describe('a firm contact, beyond the one tap', () => {
  it('offers the categories; a tap opens the request form with that category chosen', async () => {
    serve(() => undefined)
    render(<Index />)

    fireEvent.click(await screen.findByText('安全隐患'))

    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/firm/pages/request/index?categoryId=2' })
    expect(screen.getByText('按类别提交（可附照片、语音、位置）')).toBeTruthy()
  })

  it('扫码报修: a machine label opens the request form for that machine', async () => {
    serve(() => undefined)
    fakeTaro.scanCode.mockResolvedValue({ result: 'qihu:e:EQ000001:Zr3kq0x8Yb2LmN4pQs7TuV', errMsg: 'scanCode:ok' })
    render(<Index />)
    await screen.findByText('恒达精密机械有限公司')

    fireEvent.click(screen.getByText('扫码报修'))
    await act(async () => undefined)

    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/firm/pages/request/index?equipmentCode=EQ000001' })
  })

  it('扫码报修: another QR code is refused with a word, a cancelled scan does nothing', async () => {
    serve(() => undefined)
    fakeTaro.scanCode.mockResolvedValueOnce({ result: '欢迎光临', errMsg: 'scanCode:ok' })
    fakeTaro.scanCode.mockRejectedValueOnce({ errMsg: 'scanCode:fail cancel' })
    render(<Index />)
    await screen.findByText('恒达精密机械有限公司')

    fireEvent.click(screen.getByText('扫码报修'))
    await act(async () => undefined)
    fireEvent.click(screen.getByText('扫码报修'))
    await act(async () => undefined)

    expect(fakeTaro.showToast).toHaveBeenCalledTimes(1)
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '这不是设备二维码，请扫描设备上的标签' }))
    expect(fakeTaro.navigateTo).not.toHaveBeenCalled()
  })

  it('links to 我的诉求', async () => {
    serve(() => undefined)
    render(<Index />)
    await screen.findByText('安全隐患')

    fireEvent.click(screen.getByText('我的诉求'))

    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/firm/pages/mine/index' })
  })

  it('opens the raised ticket with 查看详情', async () => {
    serve((o) => (o.method === 'POST' ? { statusCode: 201, data: ticketView({ id: 9 }) } : undefined))
    render(<Index />)
    await screen.findByText('恒达精密机械有限公司')
    fireEvent.click(callButton())

    fireEvent.click(await screen.findByText('查看详情'))

    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/common/pages/ticket/index?id=9' })
  })

  it('without a network keeps the call as 待发送 (sending nothing) and says it will go out by itself', async () => {
    serve(() => undefined)
    render(<Index />)
    await screen.findByText('恒达精密机械有限公司')
    fakeTaro.getNetworkType.mockResolvedValue({ networkType: 'none', errMsg: 'ok' })

    fireEvent.click(callButton())

    expect(await screen.findByText('网络不可用，诉求已保存为「待发送」')).toBeTruthy()
    expect(posts()).toEqual([])
    expect(storage.get(OUTBOX_STORAGE_KEY)).toMatchObject({
      pending: [{ body: { categoryId: 3 }, categoryName: '水电报修', idempotencyKey: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/) }],
    })
    fireEvent.click(screen.getByText('查看我的诉求'))
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/firm/pages/mine/index' })
  })

  it('still offers the one tap offline, from the defaults kept from the last visit', async () => {
    serve(() => undefined)
    const { unmount } = render(<Index />)
    await screen.findByText('恒达精密机械有限公司')
    unmount()

    taroRequest.mockReset()
    taroRequest.mockRejectedValue({ errMsg: 'request:fail' })
    jest.useFakeTimers()
    try {
      render(<Index />)
      await act(() => jest.runAllTimersAsync())
    } finally {
      jest.useRealTimers()
    }

    expect(screen.getByText('恒达精密机械有限公司')).toBeTruthy()
    expect(callButton()).toBeTruthy()
  })
})

it('also gives a worker the one-tap call', async () => {
  resetSessionCache()
  saveSession(session(meView([roleView(Role.Worker, { id: 30, firmId: 11 })])))
  serve(() => undefined)
  render(<Index />)

  expect(await screen.findByText('一键呼叫')).toBeTruthy()
})

describe('staff', () => {
  it('a grid leader sees the role, where it applies and links to 待办 and both lists, and no call button', async () => {
    resetSessionCache()
    saveSession(session(meView([GRID_LEADER], { name: '李网格' })))
    serve(() => undefined)
    render(<Index />)

    expect(screen.getByText('网格长')).toBeTruthy()
    expect(screen.getByText('第一网格 · 网格长')).toBeTruthy()
    expect(screen.queryByText('一键呼叫')).toBeNull()
    expect(taroRequest).not.toHaveBeenCalled()

    fireEvent.click(screen.getByText('待办工单'))
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/staff/pages/inbox/index' })
    fireEvent.click(screen.getByText('企业名单'))
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/staff/pages/firms/index' })
    fireEvent.click(screen.getByText('人员名单'))
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/staff/pages/people/index' })
  })

  it('department staff get the firm list but not the people list (the API allows them no GET /people)', () => {
    resetSessionCache()
    saveSession(session(meView([roleView(Role.DeptStaff, { id: 40, departmentId: 1, scopeLabel: '应急管理办公室 · 部门工作人员' })])))
    render(<Index />)

    expect(screen.getByText('应急管理办公室 · 部门工作人员')).toBeTruthy()
    expect(screen.getByText('待办工单')).toBeTruthy()
    expect(screen.getByText('企业名单')).toBeTruthy()
    expect(screen.queryByText('人员名单')).toBeNull()
    expect(screen.queryByText('一键呼叫')).toBeNull()
  })
})

it('someone without a role is told to ask the community admin', () => {
  resetSessionCache()
  saveSession(session(meView([], { name: '微信用户' })))
  render(<Index />)

  expect(screen.getByText('您的账号暂未分配角色，请联系社区管理员')).toBeTruthy()
  expect(screen.queryByText('一键呼叫')).toBeNull()
})

it('goes to the login page without a session, asking the API nothing', () => {
  resetFakeTaro()
  resetSessionCache()
  render(<Index />)

  expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: LOGIN_PAGE })
  expect(taroRequest).not.toHaveBeenCalled()
  expect(screen.queryByText('一键呼叫')).toBeNull()
})

it('switches to 我的 from the tab bar', async () => {
  serve(() => undefined)
  render(<Index />)
  await screen.findByText('一键呼叫')

  fireEvent.click(screen.getByText('我的'))

  expect(fakeTaro.redirectTo).toHaveBeenCalledWith({ url: '/pages/me/index' })
})

it('a maintenance crew member gets 派单 with the count of open dispatches, and no 待办工单 (crews work dispatches, not the grid inbox)', async () => {
  resetSessionCache()
  saveSession(session(meView([roleView(Role.CrewMember, { id: 60, crewId: 1, scopeLabel: '第一维修队 · 维修人员' })])))
  serve((o) => (o.url === `${API}/dispatches?state=open` ? { statusCode: 200, data: [{ id: 1 }, { id: 2 }] } : undefined))
  render(<Index />)

  expect(screen.getByText('第一维修队 · 维修人员')).toBeTruthy()
  expect(screen.queryByText('待办工单')).toBeNull()
  expect(await screen.findByText('2')).toBeTruthy()
  expect(screen.getByText('2').className).toContain('link-row__badge')

  fireEvent.click(screen.getByText('派单'))
  expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: '/packages/crew/pages/dispatches/index' })
})
