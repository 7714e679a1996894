import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { NotificationKind, NotificationTemplateView } from '@qihu/contracts'
import { answerSubscriptions, listTemplates } from '../../../../services/notifications'
import { toast, toastError } from '../../../../services/toast'

/** wx.requestSubscribeMessage exists only in WeChat. */
const canSubscribe = () => process.env.TARO_ENV === 'weapp'

/**
 * 开启微信提醒: asks WeChat for one-time subscriptions to the templates not yet accepted, then
 * tells the API what was accepted and what refused. WeChat allows the ask only inside a tap,
 * so the templates are loaded beforehand.
 */
export default function SubscribeCard() {
  const [templates, setTemplates] = useState<NotificationTemplateView[]>([])

  useEffect(() => {
    if (canSubscribe()) listTemplates().then(setTemplates, () => setTemplates([]))
  }, [])

  const wanted = templates.filter((t) => t.accepted !== true)
  if (!canSubscribe() || wanted.length === 0) return null

  const subscribe = () => {
    const tmplIds = wanted.map((t) => t.templateId)
    // Only tmplIds for WeChat; Taro's type also demands Alipay's entityIds.
    Taro.requestSubscribeMessage({ tmplIds } as Taro.requestSubscribeMessage.Option)
      .then(async (answer) => {
        const said = (t: NotificationTemplateView) => (answer as unknown as Record<string, string>)[t.templateId]
        const accepted: NotificationKind[] = wanted.filter((t) => said(t) === 'accept').map((t) => t.kind)
        const refused: NotificationKind[] = wanted.filter((t) => said(t) !== 'accept').map((t) => t.kind)
        let latest = templates
        if (accepted.length) latest = await answerSubscriptions(accepted, true)
        if (refused.length) latest = await answerSubscriptions(refused, false)
        setTemplates(latest)
        toast(accepted.length ? '已开启微信提醒' : '未开启微信提醒，可在消息中心查看')
      })
      .catch(toastError)
  }

  return (
    <View className='subscribe-card' onClick={subscribe}>
      <Text className='subscribe-card__title'>开启微信提醒</Text>
      <Text className='subscribe-card__hint'>新工单、处理进展和超时提醒将通过微信服务通知发送给您</Text>
    </View>
  )
}
