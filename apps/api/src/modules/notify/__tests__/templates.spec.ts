import { NotificationKind } from '@qihu/contracts';
import fc from 'fast-check';
import { sendJobId } from '../notify.service';
import { shanghaiMinute, TEMPLATED_KINDS, templateData, templateIdOf, truncate } from '../templates';

const templates = { ticketAssigned: 'tpl-a', ticketProgress: 'tpl-p', slaWarning: 'tpl-w' };
const createdAt = new Date('2026-11-23T02:05:00Z');

describe('notification templates', () => {
  it('maps a ticket assignment to its WeChat keywords, time in Asia/Shanghai', () => {
    const data = templateData(
      NotificationKind.TicketAssigned,
      { ticketNumber: 'QH20261123-0007', category: '设备故障', firm: '宁波恒达精密机械有限公司', time: '2026-11-23T01:30:00.000Z', note: '请在30分钟内受理' },
      createdAt,
    );
    expect(data).toEqual({
      character_string1: 'QH20261123-0007',
      thing2: '设备故障',
      thing3: '宁波恒达精密机械有限公司',
      time4: '2026-11-23 09:30',
      thing5: '请在30分钟内受理',
    });
  });

  it('fills missing values with what WeChat accepts, and the time with the notification time', () => {
    expect(templateData(NotificationKind.TicketProgress, {}, createdAt)).toEqual({
      character_string1: '-',
      thing2: '无',
      phrase3: '无',
      time4: '2026-11-23 10:05',
      thing5: '无',
    });
  });

  it('cuts text to WeChat limits: thing 20 with an ellipsis, phrase 5, character_string 32', () => {
    const data = templateData(
      NotificationKind.TicketProgress,
      { ticketNumber: 'X'.repeat(40), category: '一二三四五六七八九十一二三四五六七八九十一', status: '已受理并派单', note: '短' },
      createdAt,
    );
    expect(data.character_string1).toBe('X'.repeat(32));
    expect(data.thing2).toBe('一二三四五六七八九十一二三四五六七八九…');
    expect(data.phrase3).toBe('已受理并派');
    expect(data.thing5).toBe('短');
  });

  it('never splits a character outside the BMP', () => {
    const text = '𠀀'.repeat(25);
    const cut = truncate(text, 20, true);
    expect(Array.from(cut)).toHaveLength(20);
    expect(cut).toBe(`${'𠀀'.repeat(19)}…`);
  });

  it('keeps every value within its limit and a prefix of the input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        const data = templateData(NotificationKind.SlaWarning, { ticketNumber: text, category: text, firm: text, note: text }, createdAt);
        for (const [key, value] of Object.entries(data)) {
          if (key.startsWith('time')) continue;
          const max = key.startsWith('thing') ? 20 : 32;
          expect(Array.from(value).length).toBeLessThanOrEqual(max);
          expect(value.length).toBeGreaterThan(0);
          if (text.trim()) expect(text.trim().startsWith(value.replace(/…$/, ''))).toBe(true);
        }
      }),
    );
  });

  it('reads times as instants, keeps ones already formatted, and falls back on unreadable ones', () => {
    expect(shanghaiMinute('2026-12-31T16:00:00Z', createdAt)).toBe('2027-01-01 00:00');
    expect(shanghaiMinute('2026-11-23 08:00', createdAt)).toBe('2026-11-23 08:00');
    expect(shanghaiMinute('明天上午', createdAt)).toBe('2026-11-23 10:05');
  });

  it('has a template per ticket kind and none for duty coverage gaps (inbox only)', () => {
    expect(templateIdOf(NotificationKind.TicketAssigned, templates)).toBe('tpl-a');
    expect(templateIdOf(NotificationKind.TicketProgress, templates)).toBe('tpl-p');
    expect(templateIdOf(NotificationKind.SlaWarning, templates)).toBe('tpl-w');
    expect(templateIdOf(NotificationKind.DutyCoverageGap, templates)).toBeNull();
    expect(TEMPLATED_KINDS).toEqual([NotificationKind.TicketAssigned, NotificationKind.TicketProgress, NotificationKind.SlaWarning]);
  });

  it('names send jobs after their outbox rows, without ":" (BullMQ refuses it)', () => {
    expect(sendJobId([42])).toBe('n42');
    expect(sendJobId([42, 43])).toBe('n42-43');
    expect(sendJobId([Number.MAX_SAFE_INTEGER])).not.toContain(':');
  });
});
