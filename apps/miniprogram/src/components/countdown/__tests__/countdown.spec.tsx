import { act, render, screen } from '@testing-library/react'
import { DeadlineKind } from '@qihu/contracts'
import Countdown, { formatDuration, formatRemaining, remainingAt, useNow } from '../index'
import { deadline } from '../../../testing/fixtures'

describe('formatDuration', () => {
  it.each([
    [0, '0分00秒'],
    [5_000, '0分05秒'],
    [12 * 60_000 + 5_000, '12分05秒'],
    [3600_000 + 5 * 60_000, '1小时05分'],
    [2 * 86400_000 + 3 * 3600_000 + 59 * 60_000, '2天3小时'],
    [-(3 * 60_000 + 10_000), '3分10秒'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

it('says 剩余 before the deadline and 已超时 after it', () => {
  expect(formatRemaining(65_000)).toBe('剩余 1分05秒')
  expect(formatRemaining(-65_000)).toBe('已超时 1分05秒')
})

it("counts from the view's remainingMs and when it arrived, not from the phone's idea of dueAt", () => {
  const due = { ...deadline(60_000), dueAt: '2000-01-01T00:00:00.000Z' }
  expect(remainingAt(due, 1_000_000, 1_010_000)).toBe(50_000)
  // The page clock may lag the arrival by up to a tick: never more time than the API gave.
  expect(remainingAt(due, 1_000_000, 999_500)).toBe(60_000)
})

function Clocked({ receivedAt }: { receivedAt: number }) {
  const now = useNow()
  return <Countdown deadline={deadline(90_000, DeadlineKind.Resolve)} receivedAt={receivedAt} now={now} withLabel />
}

it('ticks every second with the deadline name: grey, orange under ten minutes, red when overdue', async () => {
  jest.useFakeTimers({ now: 0 })
  try {
    render(<Clocked receivedAt={0} />)
    expect(screen.getByText('办结时限 剩余 1分30秒').className).toContain('countdown--soon')

    await act(() => jest.advanceTimersByTimeAsync(1000))
    expect(screen.getByText('办结时限 剩余 1分29秒')).toBeTruthy()

    await act(() => jest.advanceTimersByTimeAsync(90_000))
    expect(screen.getByText('办结时限 已超时 0分01秒').className).toContain('countdown--overdue')
  } finally {
    jest.useRealTimers()
  }
})

it('is plain grey with more than ten minutes left', () => {
  render(<Countdown deadline={deadline(3600_000)} receivedAt={0} now={0} />)
  const chip = screen.getByText('剩余 1小时00分')
  expect(chip.className).not.toContain('countdown--soon')
  expect(chip.className).not.toContain('countdown--overdue')
})
