import { useEffect, useState } from 'react'
import { Text } from '@tarojs/components'
import type { TicketDeadlineView } from '@qihu/contracts'
import './index.css'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** Under this much time left the chip turns orange: act now. */
export const SOON_MS = 10 * MINUTE

const pad = (n: number) => String(n).padStart(2, '0')

/** A duration the way a Chinese clock reads it: 2天3小时, 1小时05分, 12分05秒. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms)
  if (abs >= DAY) return `${Math.floor(abs / DAY)}天${Math.floor((abs % DAY) / HOUR)}小时`
  if (abs >= HOUR) return `${Math.floor(abs / HOUR)}小时${pad(Math.floor((abs % HOUR) / MINUTE))}分`
  return `${Math.floor(abs / MINUTE)}分${pad(Math.floor((abs % MINUTE) / SECOND))}秒`
}

/** 剩余 12分05秒, or 已超时 3分10秒 once past the deadline. */
export function formatRemaining(ms: number): string {
  return ms >= 0 ? `剩余 ${formatDuration(ms)}` : `已超时 ${formatDuration(ms)}`
}

/**
 * Time left now. Counted from `remainingMs` and the moment the view arrived (`receivedAt`, this
 * phone's clock), not from `dueAt`: a phone whose clock is off would otherwise show the wrong time.
 */
export function remainingAt(deadline: Pick<TicketDeadlineView, 'remainingMs'>, receivedAt: number, now: number): number {
  // The page's clock ticks once a second, so it may still read a moment before the view arrived.
  return deadline.remainingMs - Math.max(0, now - receivedAt)
}

/** This phone's time, ticking every second while the page is open (one timer per page, not per chip). */
export function useNow(intervalMs = SECOND): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}

/** A ticket's deadline, or any other with a name and the time left when it arrived (a dispatch's 接单时限). */
export type CountdownDeadline = Pick<TicketDeadlineView, 'label' | 'remainingMs'>

/** A deadline known only by its instant (`dueAt`), counted on this phone's clock from `receivedAt`. */
export function deadlineAt(label: string, dueAt: string, receivedAt: number): CountdownDeadline {
  return { label, remainingMs: Date.parse(dueAt) - receivedAt }
}

interface Props {
  deadline: CountdownDeadline
  receivedAt: number
  now: number
  /** With the deadline's name (受理时限 …) in front. */
  withLabel?: boolean
}

/** The live countdown to a ticket's deadline: grey, orange under 10 minutes, red when overdue. */
export default function Countdown({ deadline, receivedAt, now, withLabel }: Props) {
  const left = remainingAt(deadline, receivedAt, now)
  const tone = left < 0 ? 'countdown--overdue' : left < SOON_MS ? 'countdown--soon' : ''
  const text = formatRemaining(left)
  return <Text className={`countdown ${tone}`}>{withLabel ? `${deadline.label} ${text}` : text}</Text>
}
