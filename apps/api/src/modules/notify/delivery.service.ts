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
  notificationId: number;
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
 * An attempt never outlives this (WeChat answers or times out within 5 s): a claimed row is
 * left alone by other jobs and by the relay until then, and taken up again after if the
 * process died mid-attempt.
 */
export const ATTEMPT_LEASE_MS = 60_000;

/** A row due a little later than now is claimed anyway: BullMQ's backoff and our clock differ by milliseconds. */
const DUE_SLACK_MS = 5_000;

type ClaimedRow = { notificationId: number; attempts: number; kind: Notification['kind']; page: string; data: unknown; createdAt: Date; openid: string | null };

/**
 * One delivery attempt of outbox rows (the rows of one change go together): claim them, send
 * each subscribe message, record the outcomes and append them to the delivery log, in two
 * round trips whatever the number of rows. The attempt count lives in the row, so giving up
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
   * The outcome of each row this attempt claimed; rows no longer pending (sent, given up) or
   * held by another attempt (a stray duplicate job) are left out.
   */
  async attempt(notificationIds: readonly number[], context: AttemptContext): Promise<AttemptOutcome[]> {
    const startedAt = this.clock.now();
    // The claim is a lease: it counts the attempt and moves due_at past the attempt's end, so
    // a second job with the same row, or the relay, cannot take it meanwhile.
    const claim = new WriteBatch();
    const leases = notificationIds.map((id) =>
      claim.execute('UPDATE notification_outbox SET attempts = attempts + 1, due_at = ?, updated_at = ? WHERE notification_id = ? AND state = ? AND due_at <= ?', [
        new Date(startedAt.getTime() + ATTEMPT_LEASE_MS),
        startedAt,
        id,
        NotificationDeliveryState.Pending,
        new Date(startedAt.getTime() + DUE_SLACK_MS),
      ]),
    );
    const read = claim.select<ClaimedRow>(
      `SELECT o.notification_id AS notificationId, o.attempts AS attempts, n.kind AS kind, n.page AS page, n.data AS data, n.created_at AS createdAt, p.openid AS openid
       FROM notification_outbox o JOIN notification n ON n.id = o.notification_id JOIN person p ON p.id = n.person_id
       WHERE o.notification_id IN (${notificationIds.map(() => '?').join(', ')})`,
      [...notificationIds],
    );
    await this.transactions.runBatch(claim);
    const claimedIds = new Set(notificationIds.filter((_, i) => leases[i].affectedRows > 0));
    const rows = read.rows.filter((r) => claimedIds.has(Number(r.notificationId)));
    if (rows.length === 0) return [];

    const attempts = await Promise.all(
      rows.map(async (row) => {
        const started = performance.now();
        const attempted = row.openid
          ? await this.send(row.openid, row.kind, row.page, jsonOf(row.data), row.createdAt)
          : { result: DeliveryAttemptResult.NoOpenid, errcode: null, errmsg: null, msgid: null };
        return { row, attempted, ms: Math.round(performance.now() - started) };
      }),
    );

    const now = this.clock.now();
    const outcome = new WriteBatch();
    const outcomes = attempts.map(({ row, attempted, ms }): AttemptOutcome => {
      const notificationId = Number(row.notificationId);
      const attempt = Number(row.attempts);
      const giveUp = context.lastTry || attempt >= this.maxAttempts;
      const state = FINAL_STATE[attempted.result] ?? (giveUp ? NotificationDeliveryState.Failed : NotificationDeliveryState.Pending);
      outcome.execute('UPDATE notification_outbox SET state = ?, msgid = ?, updated_at = ?, due_at = ? WHERE notification_id = ? AND state = ?', [
        state,
        attempted.msgid,
        now,
        state === NotificationDeliveryState.Pending ? new Date(now.getTime() + context.retryInMs) : now,
        notificationId,
        NotificationDeliveryState.Pending,
      ]);
      outcome.insert(NotificationDelivery, {
        notificationId,
        attempt,
        at: startedAt,
        result: attempted.result,
        errcode: attempted.errcode,
        errmsg: attempted.errmsg,
        ms,
      });
      return { notificationId, attempt, result: attempted.result, state, retry: state === NotificationDeliveryState.Pending };
    });
    await this.transactions.runBatch(outcome);
    return outcomes;
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
