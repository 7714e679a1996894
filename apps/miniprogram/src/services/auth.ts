import Taro from '@tarojs/taro'
import { ErrorCode, type DemoPerson, type MeView, type Session } from '@qihu/contracts'
import { ApiError, request } from './request'
import { HOME_PAGE, clearSession, getRefreshToken, saveSession, updateMe, endSession } from './session'

const AUTH = '/api/v1/auth'

async function startSession(path: string, data: object, auth = false): Promise<Session> {
  const session = await request<Session>(`${AUTH}/${path}`, { method: 'POST', data, auth })
  saveSession(session)
  return session
}

/** 微信一键登录: wx.login's code for a session. */
export async function wechatLogin(): Promise<Session> {
  const { code } = await Taro.login()
  return startSession('wechat-login', { code })
}

/** 授权手机号: the code from the getPhoneNumber button; invited staff get their roles here. */
export function bindPhone(phoneCode: string): Promise<Session> {
  return startSession('bind-phone', { phoneCode }, true)
}

export function switchRole(roleAssignmentId: number): Promise<Session> {
  return startSession('switch-role', { roleAssignmentId }, true)
}

/** The seeded people of the demo, or null when the API has no demo login (404). */
export async function listDemoPeople(): Promise<DemoPerson[] | null> {
  try {
    return await request<DemoPerson[]>(`${AUTH}/demo-people`, { auth: false })
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === ErrorCode.NotFound) return null
    throw error
  }
}

export function demoLogin(personId: number): Promise<Session> {
  return startSession('demo-login', { personId })
}

/** Who I am now (roles may have changed since login); also kept with the session. */
export async function fetchMe(): Promise<MeView> {
  const me = await request<MeView>('/api/v1/me')
  updateMe(me)
  return me
}

/** 退出登录: revokes the refresh token (best effort: the login ends here either way). */
export async function logout(): Promise<void> {
  const refreshToken = getRefreshToken()
  clearSession()
  if (refreshToken) {
    await request<void>(`${AUTH}/logout`, { method: 'POST', data: { refreshToken }, auth: false }).catch(() => undefined)
  }
  endSession()
}

/** After logging in or switching role: start over at the home page of the (new) role. */
export function goHome(): void {
  void Taro.reLaunch({ url: HOME_PAGE })
}
