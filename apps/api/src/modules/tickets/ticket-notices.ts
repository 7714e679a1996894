import { DEADLINE_KIND_LABEL, DeadlineKind, ESCALATION_LEVEL_LABEL, NotificationKind, TICKET_STATUS_LABEL } from '@qihu/contracts';
import { NotificationInput } from '../notify/notify.service';
import { Ticket } from './ticket.entity';

/** What a notice says about a ticket: its number, category, firm and status. */
export interface TicketFacts {
  ticket: Ticket;
  categoryName: string;
  firmName: string;
}

/** The mini-program page that shows one ticket (staff and requesters alike). */
export function ticketPage(ticketId: number): string {
  return `packages/common/pages/ticket/index?id=${ticketId}`;
}

/** Shanghai wall-clock time, as WeChat templates show it. */
export function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function notice(
  facts: TicketFacts,
  personIds: Iterable<number>,
  kind: NotificationKind,
  title: string,
  body: string,
  at: Date,
  note = '',
): NotificationInput[] {
  const { ticket } = facts;
  return [...new Set(personIds)].map((personId) => ({
    personId,
    kind,
    ticketId: ticket.id,
    title,
    body,
    page: ticketPage(ticket.id),
    data: {
      ticketNumber: ticket.number,
      category: facts.categoryName,
      firm: facts.firmName,
      status: TICKET_STATUS_LABEL[ticket.status],
      time: shanghaiTime(at),
      note: note || body,
    },
  }));
}

/** The ticket now waits for these people (routed, escalated, transferred, returned, reopened). */
export function assignedNotice(facts: TicketFacts, holderIds: Iterable<number>, why: string, at: Date): NotificationInput[] {
  const level = ESCALATION_LEVEL_LABEL[facts.ticket.level];
  return notice(facts, holderIds, NotificationKind.TicketAssigned, `待处理：${facts.categoryName}`, `${facts.firmName}的诉求${why}，请${level}尽快受理`, at);
}

/** The requester's request moved on. */
export function progressNotice(facts: TicketFacts, personIds: Iterable<number>, what: string, at: Date, note = ''): NotificationInput[] {
  return notice(facts, personIds, NotificationKind.TicketProgress, `诉求进展：${what}`, `您的诉求 ${facts.ticket.number} ${what}`, at, note);
}

/** 50% / 75% of a window used, a missed resolve deadline, or a supervision note. */
export function warningNotice(facts: TicketFacts, personIds: Iterable<number>, text: string, at: Date, note = ''): NotificationInput[] {
  return notice(facts, personIds, NotificationKind.SlaWarning, `时限提醒：${facts.ticket.number}`, text, at, note);
}

export function warningText(window: DeadlineKind, percent: number): string {
  return `${DEADLINE_KIND_LABEL[window]}已用去 ${percent}%，请抓紧处理`;
}
