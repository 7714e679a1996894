import { useEffect, useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { DutyHandoverView, DutyShiftView } from '@qihu/contracts'
import { listHandovers, listHandoversToMe, listMyShifts } from '../../../../services/duty'
import { messageOf } from '../../../../services/roles'
import { getMe, requireLogin } from '../../../../services/session'
import { ReceivedHandover, WriteHandover } from './handover'
import { dayLabel, hoursLabel, isOnNow, shiftToHandOver, sourceLabel, twoWeeks } from './shifts'
import './index.css'

interface Loaded {
  shifts: DutyShiftView[]
  toMe: DutyHandoverView[]
  readable: DutyHandoverView[]
  /** The phone's time when it arrived (which shift is on, whether a handover may be written). */
  at: number
}

/** 我的值班: the handover from the shift before mine, my own to write near the end of a shift, and my shifts this week and next. */
export default function Duty() {
  const [me] = useState(getMe)
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = async () => {
    const now = new Date()
    const { from, to } = twoWeeks(now)
    try {
      const [shifts, toMe, readable] = await Promise.all([listMyShifts(from, to), listHandoversToMe(), listHandovers()])
      setLoaded({ shifts, toMe, readable, at: now.getTime() })
      setError(null)
    } catch (e) {
      setError(messageOf(e))
    }
  }

  useEffect(() => {
    if (requireLogin()) void load()
  }, [])
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (!loaded || !me) {
    return (
      <View className='duty'>
        <Text className='duty__hint' onClick={() => void load()}>
          {error ? `${error}（点击重试）` : '加载中…'}
        </Text>
      </View>
    )
  }

  const replace = (list: DutyHandoverView[], h: DutyHandoverView) => [...list.filter((x) => x.id !== h.id), h]
  const handOver = shiftToHandOver(loaded.shifts, me.id, loaded.at)
  const written = handOver ? (loaded.readable.find((h) => h.shift.id === handOver.id) ?? null) : null
  // Unread first, then the latest few read ones.
  const received = [...loaded.toMe].sort((a, b) => Number(Boolean(a.acknowledgedAt)) - Number(Boolean(b.acknowledgedAt))).slice(0, 3)
  const { nextWeek } = twoWeeks(new Date(loaded.at))
  const weeks = [
    { title: '本周', shifts: loaded.shifts.filter((s) => new Date(s.startsAt) < nextWeek) },
    { title: '下周', shifts: loaded.shifts.filter((s) => new Date(s.startsAt) >= nextWeek) },
  ]

  return (
    <View className='duty'>
      {error && <Text className='duty__error'>{error}</Text>}
      {(received.length > 0 || handOver) && (
        <View className='duty__section'>
          <Text className='duty__title'>交接班</Text>
          {received.map((h) => (
            <ReceivedHandover
              key={h.id}
              handover={h}
              onChange={(updated) => setLoaded({ ...loaded, toMe: replace(loaded.toMe, updated) })}
            />
          ))}
          {handOver && (
            <WriteHandover
              key={handOver.id}
              shift={handOver}
              written={written}
              onWritten={(h) => setLoaded({ ...loaded, readable: replace(loaded.readable, h) })}
            />
          )}
        </View>
      )}

      {weeks.map((week) => (
        <View key={week.title} className='duty__section'>
          <Text className='duty__title'>{week.title}</Text>
          {week.shifts.length === 0 && <Text className='duty__empty'>没有排班</Text>}
          {week.shifts.map((shift) => {
            const backup = shift.personId !== me.id
            const source = sourceLabel(shift)
            const on = isOnNow(shift, loaded.at) && !shift.cancelledAt
            const state = on ? 'shift--on' : shift.cancelledAt ? 'shift--cancelled' : new Date(shift.endsAt).getTime() <= loaded.at ? 'shift--past' : ''
            return (
              <View key={shift.id} className={`shift ${state}`}>
                <View className='shift__head'>
                  <Text className='shift__day'>{dayLabel(new Date(shift.startsAt))}</Text>
                  <Text className='shift__hours'>{hoursLabel(shift)}</Text>
                </View>
                <View className='shift__tags'>
                  <Text className='shift__scope'>{`${shift.scopeName} · ${shift.levelLabel}`}</Text>
                  {on && <Text className='shift__tag shift__tag--on'>值班中</Text>}
                  {backup && <Text className='shift__tag'>备班</Text>}
                  {source && <Text className='shift__tag'>{source}</Text>}
                  {shift.cancelledAt && <Text className='shift__tag'>已取消</Text>}
                </View>
                <Text className='shift__partner'>
                  {backup ? `值班：${shift.personName}` : shift.backupPersonName ? `备班：${shift.backupPersonName}` : '无备班'}
                </Text>
              </View>
            )
          })}
        </View>
      ))}
    </View>
  )
}
