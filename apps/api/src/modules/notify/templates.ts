import { NotificationKind } from '@qihu/contracts';
import type { AppConfig } from '../../config/config';

/**
 * Which WeChat subscribe-message template each notification kind uses, and which meaning in
 * NotificationInput.data fills each template keyword. The one place to change when a template
 * is picked differently in the mini-program's console (README lists the keywords to pick).
 * A kind mapped to null has no template: it stays in the inbox only.
 */
export const TEMPLATES: Record<NotificationKind, { configKey: keyof AppConfig['notify']['templates']; fields: Record<string, string> } | null> = {
  [NotificationKind.TicketAssigned]: {
    configKey: 'ticketAssigned',
    fields: { character_string1: 'ticketNumber', thing2: 'category', thing3: 'firm', time4: 'time', thing5: 'note' },
  },
  [NotificationKind.TicketProgress]: {
    configKey: 'ticketProgress',
    fields: { character_string1: 'ticketNumber', thing2: 'category', phrase3: 'status', time4: 'time', thing5: 'note' },
  },
  [NotificationKind.SlaWarning]: {
    configKey: 'slaWarning',
    fields: { character_string1: 'ticketNumber', thing2: 'category', thing3: 'firm', time4: 'time', thing5: 'note' },
  },
  [NotificationKind.DutyCoverageGap]: null,
  [NotificationKind.StockLow]: null,
  [NotificationKind.RecurringFaults]: null,
};

/** Kinds the mini-program can ask the person to subscribe to. */
export const TEMPLATED_KINDS: NotificationKind[] = (Object.keys(TEMPLATES) as NotificationKind[]).filter((k) => TEMPLATES[k]);

/** WeChat's value limits per keyword type, in characters; a longer value is refused (47003). */
const MAX_CHARS: Record<string, number> = { thing: 20, phrase: 5, character_string: 32 };
/** An empty value is refused too; a phrase must be Chinese, a character_string must not be. */
const EMPTY_VALUE: Record<string, string> = { thing: '无', phrase: '无', character_string: '-' };
/** China has kept UTC+8 all year since 1991: no time-zone database needed. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export function templateIdOf(kind: NotificationKind, templates: AppConfig['notify']['templates']): string | null {
  const spec = TEMPLATES[kind];
  return spec ? templates[spec.configKey] : null;
}

/**
 * The template keywords of a notification, each value shaped to WeChat's rules: `time*` as
 * 'YYYY-MM-DD HH:mm' in Asia/Shanghai (the notification's own time when missing or unreadable),
 * text cut to its limit by code points so no character is split.
 */
export function templateData(kind: NotificationKind, data: Record<string, string>, createdAt: Date): Record<string, string> {
  const spec = TEMPLATES[kind];
  if (!spec) return {};
  return Object.fromEntries(
    Object.entries(spec.fields).map(([keyword, meaning]) => {
      const type = keyword.replace(/\d+$/, '');
      const value = (data[meaning] ?? '').trim();
      if (type === 'time') return [keyword, shanghaiMinute(value, createdAt)];
      return [keyword, value ? truncate(value, MAX_CHARS[type], type === 'thing') : EMPTY_VALUE[type]];
    }),
  );
}

/** Cuts to `max` code points; with `ellipsis`, a cut value ends in '…' (still within `max`). */
export function truncate(value: string, max: number, ellipsis = false): string {
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  return ellipsis ? `${chars.slice(0, max - 1).join('')}…` : chars.slice(0, max).join('');
}

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai, from an ISO instant (or kept when already so); `fallback` when there is none. */
export function shanghaiMinute(value: string, fallback: Date): string {
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(value)) return value;
  const parsed = value ? new Date(value) : fallback;
  const at = Number.isNaN(parsed.getTime()) ? fallback : parsed;
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
