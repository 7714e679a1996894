import { Inject, Injectable } from '@nestjs/common';
import { DeliveryAttemptResult, NotificationDeliveryState } from '@qihu/contracts';
import { performance } from 'node:perf_hooks';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { WriteBatch } from '../../infra/database/write-batch';
import { SubscribeSendResult, WechatClient } from '../../infra/wechat/wechat.client';
import { Notification, NotificationDelivery } from './entities';
import { templateData, templateIdOf, truncate } from './templates';

/** What the queue knows about the job running this attempt. */
export interface AttemptContext {
  /** The queue will not run this job again: a failure now is final. */
  lastTry: boolean;
  /** When the queue retries if this attempt fails, in ms from now. */
  retryInMs: number;
}

export interface AttemptOutcome {
  attempt: number;
  result: DeliveryAttemptResult;
  state: NotificationDeliveryState;
  /** The attempt failed and another one is due: the job must fail so the queue retries it. */
  retry: boolean;
}

interface Attempted {
  result: DeliveryAttemptResult;
  errcode: number | null;
  errmsg: string | null;
  msgid: string | null;
}

/** What each attempt result means for the delivery; null: pending, or failed on the last try. */
const FINAL_STATE: Record<DeliveryAttemptResult, NotificationDeliveryState | null> = {
  [DeliveryAttemptResult.Sent]: NotificationDeliveryState.Sent,
  [DeliveryAttemptResult.NoOpenid]: NotificationDeliveryState.NoOpenid,
  [DeliveryAttemptResult.NotSubscribed]: NotificationDeliveryState.NotSubscribed,
  [DeliveryAttemptResult.Rejected]: null,
  [DeliveryAttemptResult.Unavailable]: null,
};

/**
 * One delivery attempt of one outbox row: count it, send the subscribe message, record the
 * outcome and append it to the delivery log. The attempt count lives in the row, so giving up
 * after config.notify.attempts holds even when a flushed queue starts the job over.
 */
@Injectable()
export class DeliveryService {
  private readonly maxAttempts: number;

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly wechat: WechatClient,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {
    this.maxAttempts = config.notify.attempts;
  }

  /**
   * Null when the row is no longer pending (sent, given up, or a stray duplicate job): nothing
   * to do. Two round trips whatever the outcome: claim-and-read, then outcome-and-log.
   */
  async attempt(notificationId: number, context: AttemptContext): Promise<AttemptOutcome | null> {
    const startedAt = this.clock.now();
    // Claiming the attempt also moves due_at, so the relay leaves an attempt in flight alone.
    const [claimed, rows] = (await this.transactions.manager.query(
      `UPDATE notification_outbox SET attempts = attempts + 1, due_at = ?, updated_at = ? WHERE notification_id = ? AND state = ?;
       SELECT o.attempts AS attempts, n.kind AS kind, n.page AS page, n.data AS data, n.created_at AS createdAt, p.openid AS openid
       FROM notification_outbox o JOIN notification n ON n.id = o.notification_id JOIN person p ON p.id = n.person_id
       WHERE o.notification_id = ?`,
      [startedAt, startedAt, notificationId, NotificationDeliveryState.Pending, notificationId],
    )) as [{ affectedRows: number }, Array<{ attempts: number; kind: Notification['kind']; page: string; data: unknown; createdAt: Date; openid: string | null }>];
    if (!claimed.affectedRows) return null;
    const row = rows[0];
    if (!row) throw new Error(`outbox row ${notificationId} vanished while claimed`);

    const started = performance.now();
    const attempted = row.openid
      ? await this.send(row.openid, row.kind, row.page, jsonOf(row.data), row.createdAt)
      : { result: DeliveryAttemptResult.NoOpenid, errcode: null, errmsg: null, msgid: null };
    const ms = Math.round(performance.now() - started);

    const attempt = Number(row.attempts);
    const giveUp = context.lastTry || attempt >= this.maxAttempts;
    const state = FINAL_STATE[attempted.result] ?? (giveUp ? NotificationDeliveryState.Failed : NotificationDeliveryState.Pending);
    const now = this.clock.now();
    const batch = new WriteBatch();
    batch.execute(`UPDATE notification_outbox SET state = ?, msgid = ?, updated_at = ?, due_at = ? WHERE notification_id = ? AND state = ?`, [
      state,
      attempted.msgid,
      now,
      state === NotificationDeliveryState.Pending ? new Date(now.getTime() + context.retryInMs) : now,
      notificationId,
      NotificationDeliveryState.Pending,
    ]);
    batch.insert(NotificationDelivery, {
      notificationId,
      attempt,
      at: startedAt,
      result: attempted.result,
      errcode: attempted.errcode,
      errmsg: attempted.errmsg,
      ms,
    });
    await this.transactions.runBatch(batch);
    return { attempt, result: attempted.result, state, retry: state === NotificationDeliveryState.Pending };
  }

  /** WeChat's refusals come back as results; a thrown error (unreachable, 5xx, busy) is one too, to be retried. */
  private async send(openid: string, kind: Notification['kind'], page: string, data: Record<string, string>, createdAt: Date): Promise<Attempted> {
    const templateId = templateIdOf(kind, this.config.notify.templates);
    if (!templateId) throw new Error(`notification kind ${kind} has an outbox row but no template`);
    let reply: SubscribeSendResult;
    try {
      reply = await this.wechat.sendSubscribeMessage({
        openid,
        templateId,
        page,
        data: templateData(kind, data, createdAt),
        miniprogramState: this.config.notify.miniprogramState,
      });
    } catch (err) {
      return { result: DeliveryAttemptResult.Unavailable, errcode: null, errmsg: truncate(messageOf(err), 255), msgid: null };
    }
    if (reply.sent) return { result: DeliveryAttemptResult.Sent, errcode: null, errmsg: null, msgid: reply.msgid };
    return {
      result: reply.reason === 'not_subscribed' ? DeliveryAttemptResult.NotSubscribed : DeliveryAttemptResult.Rejected,
      errcode: reply.errcode,
      errmsg: truncate(reply.errmsg, 255),
      msgid: null,
    };
  }
}

/** MySQL hands a JSON column back parsed, MariaDB (JSON is LONGTEXT there) as text. */
function jsonOf(value: unknown): Record<string, string> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, string>;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
