import { useRef, useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import type { DutyHandoverView, DutyShiftView } from '@qihu/contracts'
import { formatTime } from '../../../../services/format'
import { messageOf } from '../../../../services/roles'
import { acknowledgeHandover, writeHandover } from '../../../../services/duty'
import { toast } from '../../../../services/toast'
import { dayLabel, hoursLabel } from './shifts'

/** 交接给我: a note from the shift before mine; 确认已阅 tells its writer I have read it. */
export function ReceivedHandover({ handover, onChange }: { handover: DutyHandoverView; onChange: (h: DutyHandoverView) => void }) {
  const [busy, setBusy] = useState(false)
  const acknowledge = async () => {
    if (busy) return
    setBusy(true)
    try {
      onChange(await acknowledgeHandover(handover.id))
      toast('已确认交接')
    } catch (e) {
      toast(messageOf(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className={handover.acknowledgedAt ? 'handover' : 'handover handover--new'}>
      <Text className='handover__from'>{`${handover.fromPersonName} · ${handover.shift.scopeName} ${hoursLabel(handover.shift)}`}</Text>
      <Text className='handover__note'>{handover.note}</Text>
      {handover.acknowledgedAt ? (
        <Text className='handover__done'>{`已确认 ${formatTime(handover.acknowledgedAt)}`}</Text>
      ) : (
        <Text className='handover__ack' onClick={acknowledge}>
          {busy ? '确认中…' : '确认已阅'}
        </Text>
      )}
    </View>
  )
}

interface WriteProps {
  shift: DutyShiftView
  /** What I wrote for this shift already, if anything. */
  written: DutyHandoverView | null
  onWritten: (h: DutyHandoverView) => void
}

/** 写交接: near the end of my shift, what the next person must know; editable until they have read it. */
export function WriteHandover({ shift, written, onWritten }: WriteProps) {
  const [note, setNote] = useState(written?.note ?? '')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const busyRef = useRef(false)

  if (written?.acknowledgedAt) {
    return (
      <View className='handover'>
        <Text className='handover__from'>{`我的交接 · ${dayLabel(new Date(shift.startsAt))} ${hoursLabel(shift)}`}</Text>
        <Text className='handover__note'>{written.note}</Text>
        <Text className='handover__done'>{`${written.acknowledgedByName ?? '接班人'} 已确认 ${formatTime(written.acknowledgedAt)}`}</Text>
      </View>
    )
  }

  const submit = async () => {
    if (busyRef.current || !note.trim()) return
    busyRef.current = true
    setBusy(true)
    setError(null)
    try {
      onWritten(await writeHandover({ shiftId: shift.id, note: note.trim() }))
      toast('交接已保存')
    } catch (e) {
      setError(messageOf(e))
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }

  return (
    <View className='handover handover--write'>
      <Text className='handover__from'>{`写交接 · ${shift.scopeName} ${hoursLabel(shift)}`}</Text>
      <Textarea
        className='handover__input'
        placeholder='交给下一班：未办结的工单、需复查的企业、注意事项'
        maxlength={1000}
        value={note}
        onInput={(e) => setNote(e.detail.value)}
      />
      {error && <Text className='handover__error'>{error}</Text>}
      <Button className='handover__submit' disabled={busy || !note.trim()} onClick={submit}>
        {busy ? '保存中…' : written ? '更新交接' : '提交交接'}
      </Button>
    </View>
  )
}
