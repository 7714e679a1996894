import Taro from '@tarojs/taro'
import type { MeView, Session } from '@qihu/contracts'

/** Where the session survives a restart of the mini-program (wx storage / localStorage in H5). */
export const SESSION_STORAGE_KEY = 'qihu.session'
export const LOGIN_PAGE = '/pages/login/index'
export const HOME_PAGE = '/pages/index/index'

/** What is kept of a Session: both tokens and who they belong to (for the first render). */
export interface StoredSession {
  accessToken: string
  refreshToken: string
  me: MeView
}

/** The in-memory copy; `undefined` until first read from storage. */
let current: StoredSession | null | undefined

function isStoredSession(value: unknown): value is StoredSession {
  const v = value as Partial<StoredSession> | null
  return typeof v?.accessToken === 'string' && typeof v.refreshToken === 'string' && typeof v.me === 'object' && v.me !== null
}

function load(): StoredSession | null {
  try {
    const stored: unknown = Taro.getStorageSync(SESSION_STORAGE_KEY)
    return isStoredSession(stored) ? stored : null
  } catch {
    return null
  }
}

function persist(value: StoredSession | null): void {
  current = value
  try {
    if (value) Taro.setStorageSync(SESSION_STORAGE_KEY, value)
    else Taro.removeStorageSync(SESSION_STORAGE_KEY)
  } catch {
    // Storage full or unavailable: the in-memory copy still serves this run.
  }
}

export function getSession(): StoredSession | null {
  if (current === undefined) current = load()
  return current
}

export function isLoggedIn(): boolean {
  return getSession() !== null
}

export function getAccessToken(): string | null {
  return getSession()?.accessToken ?? null
}

export function getRefreshToken(): string | null {
  return getSession()?.refreshToken ?? null
}

export function getMe(): MeView | null {
  return getSession()?.me ?? null
}

/** After login, refresh, phone binding or a role switch: the refresh token is single-use, so always keep the new one. */
export function saveSession(session: Session): StoredSession {
  const stored = { accessToken: session.accessToken, refreshToken: session.refreshToken, me: session.me }
  sentToLogin = false
  persist(stored)
  return stored
}

/** A fresher MeView (from GET /me) for the same tokens. */
export function updateMe(me: MeView): void {
  const session = getSession()
  if (session) persist({ ...session, me })
}

export function clearSession(): void {
  persist(null)
}

/** Forgets the in-memory copy so the next read comes from storage (tests; a restart does the same). */
export function resetSessionCache(): void {
  current = undefined
  sentToLogin = false
}

/** Set once the login page is asked for, until the next login: the app and a page may both find no session. */
let sentToLogin = false

/** Drops the session and shows the login page (once, however many calls find out at the same time). */
export function endSession(): void {
  clearSession()
  if (sentToLogin) return
  sentToLogin = true
  Promise.resolve(Taro.reLaunch({ url: LOGIN_PAGE })).catch(() => {
    sentToLogin = false
  })
}

/** For pages behind login: false (and off to the login page) when there is no session. */
export function requireLogin(): boolean {
  if (isLoggedIn()) return true
  endSession()
  return false
}
