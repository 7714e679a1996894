import { ShiftSource, SHIFT_SOURCE_LABEL, type DutyShiftView } from '@qihu/contracts'

const DAY_MS = 24 * 3600_000
/** A handover note may be written from 2 hours before the end of a shift to 2 hours after it (as the API checks). */
export const HANDOVER_WINDOW_MS = 2 * 3600_000

const pad = (n: number) => String(n).padStart(2, '0')
const WEEKDAY = '日一二三四五六'

/** This week's Monday 00:00 (the phone's time) and two weeks on: 本周 and 下周. */
export function twoWeeks(now: Date): { from: Date; nextWeek: Date; to: Date } {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate())
  from.setDate(from.getDate() - ((from.getDay() + 6) % 7))
  const nextWeek = new Date(from)
  nextWeek.setDate(from.getDate() + 7)
  const to = new Date(from)
  to.setDate(from.getDate() + 14)
  return { from, nextWeek, to }
}

/** 11月24日 周一 */
export function dayLabel(at: Date): string {
  return `${at.getMonth() + 1}月${at.getDate()}日 周${WEEKDAY[at.getDay()]}`
}

const clock = (at: Date) => `${pad(at.getHours())}:${pad(at.getMinutes())}`

/** 08:00–20:00, 20:00–次日08:00, or with the end's date when it is later still. */
export function hoursLabel(shift: DutyShiftView): string {
  const start = new Date(shift.startsAt)
  const end = new Date(shift.endsAt)
  const startDay = new Date(start.getFullYear(), start.getMonth(), start.getDate()).getTime()
  const endDay = new Date(end.getFullYear(), end.getMonth(), end.getDate()).getTime()
  const days = Math.round((endDay - startDay) / DAY_MS)
  const endText = days === 0 ? clock(end) : days === 1 ? `次日${clock(end)}` : `${dayLabel(end)} ${clock(end)}`
  return `${clock(start)}–${endText}`
}

/** 替班, 换班 …: how the shift came to be, when not from the weekly pattern. */
export const sourceLabel = (shift: DutyShiftView): string | null =>
  shift.source === ShiftSource.Template ? null : SHIFT_SOURCE_LABEL[shift.source]

export const isOnNow = (shift: DutyShiftView, now: number) =>
  new Date(shift.startsAt).getTime() <= now && now < new Date(shift.endsAt).getTime()

/** My shift (not one I back up) whose handover can be written now, if any. */
export function shiftToHandOver(shifts: DutyShiftView[], personId: number, now: number): DutyShiftView | null {
  return (
    shifts.find((s) => {
      if (s.personId !== personId || s.cancelledAt) return false
      const start = new Date(s.startsAt).getTime()
      const end = new Date(s.endsAt).getTime()
      return now >= Math.max(start, end - HANDOVER_WINDOW_MS) && now <= end + HANDOVER_WINDOW_MS
    }) ?? null
  )
}
