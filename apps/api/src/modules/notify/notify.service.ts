import { Injectable } from '@nestjs/common';
import { NotificationKind } from '@qihu/contracts';
import { Tx } from '../../infra/database/transaction';

/** One message to one person. `title`/`body` are Chinese text for the inbox; `data` fills the WeChat template. */
export interface NotificationInput {
  personId: number;
  kind: NotificationKind;
  ticketId: number | null;
  title: string;
  body: string;
  /** Mini-program page the message opens, e.g. `pages/ticket/index?id=12`. */
  page: string;
  /** Template fields by meaning (ticketNumber, category, firm, status, time, note); the sender maps them to WeChat keys. */
  data: Record<string, string>;
}

@Injectable()
export class NotifyService {
  /** Writes outbox rows (and inbox entries) in the caller's transaction; delivered after commit. */
  async enqueue(_tx: Tx, _items: NotificationInput[]): Promise<void> {
    throw new Error('NotifyService.enqueue: being built');
  }
}
