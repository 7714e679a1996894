import { DeliveryAttemptResult, NotificationDeliveryState, NotificationKind } from '@qihu/contracts';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** An inbox entry: what one person was told, whether or not WeChat delivered it. */
@Entity('notification')
export class Notification {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: number;

  @Column({ name: 'person_id', type: 'int', unsigned: true })
  personId!: number;

  @Column({ type: 'varchar', length: 24 })
  kind!: NotificationKind;

  @Column({ name: 'ticket_id', type: 'bigint', unsigned: true, nullable: true })
  ticketId!: number | null;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'varchar', length: 500 })
  body!: string;

  @Column({ type: 'varchar', length: 512 })
  page!: string;

  /** Template fields by meaning (ticketNumber, category, firm, status, time, note). */
  @Column({ type: 'json' })
  data!: Record<string, string>;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'read_at', type: 'datetime', precision: 3, nullable: true })
  readAt!: Date | null;
}

/**
 * The WeChat delivery of one notification, written in the same transaction as the
 * notification. This row is the truth; the queue job only wakes a worker up.
 */
@Entity('notification_outbox')
export class NotificationOutbox {
  @PrimaryColumn({ name: 'notification_id', type: 'bigint', unsigned: true })
  notificationId!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: NotificationDeliveryState;

  /** Attempts started so far (counted here, not only in Redis, so a flushed queue cannot reset them). */
  @Column({ type: 'smallint', unsigned: true, default: 0 })
  attempts!: number;

  /** When the next attempt should run; a pending row long past it has lost its job. */
  @Column({ name: 'due_at', type: 'datetime', precision: 3 })
  dueAt!: Date;

  @Column({ type: 'varchar', length: 32, nullable: true })
  msgid!: string | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** One delivery attempt, appended whatever its outcome. */
@Entity('notification_delivery')
export class NotificationDelivery {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: number;

  @Column({ name: 'notification_id', type: 'bigint', unsigned: true })
  notificationId!: number;

  @Column({ type: 'smallint', unsigned: true })
  attempt!: number;

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;

  @Column({ type: 'varchar', length: 16 })
  result!: DeliveryAttemptResult;

  @Column({ type: 'int', nullable: true })
  errcode!: number | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  errmsg!: string | null;

  @Column({ type: 'int', unsigned: true })
  ms!: number;
}

/** A person's latest answer to wx.requestSubscribeMessage for one kind (WeChat stays the authority). */
@Entity('notification_subscription')
export class NotificationSubscription {
  @PrimaryColumn({ name: 'person_id', type: 'int', unsigned: true })
  personId!: number;

  @PrimaryColumn({ type: 'varchar', length: 24 })
  kind!: NotificationKind;

  @Column({ type: 'boolean' })
  accepted!: boolean;

  @Column({ name: 'answered_at', type: 'datetime', precision: 3 })
  answeredAt!: Date;
}

export const NOTIFY_ENTITIES: Function[] = [Notification, NotificationOutbox, NotificationDelivery, NotificationSubscription];
