import { useEffect, useRef, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import type { DemoPerson, Session } from '@qihu/contracts'
import { bindPhone, demoLogin, goHome, listDemoPeople, wechatLogin } from '../../services/auth'
import { messageOf } from '../../services/roles'
import { getMe } from '../../services/session'
import DemoPicker from './demo-picker'
import './index.css'

/** wx.login exists only in the WeChat build; H5 (the demo) logs in by picking a demo person. */
const canWechatLogin = () => process.env.TARO_ENV !== 'h5'
/** The demo picker is asked for only where it is switched on (.env.h5: true, .env.weapp: false). */
const demoLoginEnabled = () => process.env.TARO_APP_DEMO_LOGIN === 'true'

/** 登录: 微信一键登录, then 授权手机号 when WeChat has not told us who this is; or 演示登录. */
export default function Login() {
  // Logged in but without a phone (e.g. reopened before binding): straight to the phone step.
  const [needsPhone, setNeedsPhone] = useState(() => Boolean(getMe()?.needsPhone))
  const [demoPeople, setDemoPeople] = useState<DemoPerson[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const busyRef = useRef(false)

  useEffect(() => {
    if (!demoLoginEnabled()) return
    // 404 (demo off) or no answer: no picker, the WeChat login stays.
    listDemoPeople().then(setDemoPeople, () => setDemoPeople(null))
  }, [])

  /** Runs one login step at a time; a session without a phone stops at 授权手机号. */
  const run = async (step: () => Promise<Session>) => {
    if (busyRef.current) return
    busyRef.current = true
    setBusy(true)
    setError(null)
    try {
      const session = await step()
      if (session.me.needsPhone) setNeedsPhone(true)
      else goHome()
    } catch (e) {
      setError(messageOf(e))
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }

  const onPhone = (detail: { code?: string; errMsg?: string }) => {
    if (detail.code) void run(() => bindPhone(detail.code as string))
    else setError('需要授权手机号才能继续使用')
  }

  return (
    <View className='login'>
      <View className='login__brand'>
        <Text className='login__title'>企呼我应</Text>
        <Text className='login__slogan'>企业有呼 · 社区必应</Text>
      </View>

      {needsPhone ? (
        <View className='login__step'>
          <Text className='login__hint'>请授权手机号，以便社区为您匹配企业或网格角色</Text>
          <Button
            className='login-button'
            openType='getPhoneNumber'
            disabled={busy}
            onGetPhoneNumber={(e) => onPhone(e.detail)}
          >
            {busy ? '授权中…' : '授权手机号'}
          </Button>
          <Text className='login__skip' onClick={goHome}>
            暂不授权
          </Text>
        </View>
      ) : (
        canWechatLogin() && (
          <Button className='login-button' disabled={busy} onClick={() => run(wechatLogin)}>
            {busy ? '登录中…' : '微信一键登录'}
          </Button>
        )
      )}

      {error && <Text className='login__error'>{error}</Text>}

      {!needsPhone && demoPeople && (
        <DemoPicker people={demoPeople} disabled={busy} onPick={(person) => run(() => demoLogin(person.id))} />
      )}
      {!needsPhone && !canWechatLogin() && !demoPeople && (
        <Text className='login__hint'>请在微信中打开「企呼我应」小程序登录</Text>
      )}
    </View>
  )
}
