import { EscalationLevel } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Stored as these strings: do not rename. */
export enum TimerKind {
  /** Acknowledge deadline at the ticket's current level; firing escalates. */
  Acknowledge = 'ack',
  /** 50% and 75% of the acknowledge window used: the holder is reminded. */
  AcknowledgeWarn50 = 'ack_w50',
  AcknowledgeWarn75 = 'ack_w75',
  /** Resolve deadline; firing marks the ticket overdue and tells the holder and the admin. */
  Resolve = 'resolve',
  ResolveWarn50 = 'resolve_w50',
  ResolveWarn75 = 'resolve_w75',
  /** Confirm window; firing closes the ticket as not rated. */
  Confirm = 'confirm',
  /** On-site window of a dispatch; firing alerts the holder and the admin that the crew is late. */
  OnSite = 'on_site',
  /** Accept window of a dispatch; firing hands an unaccepted dispatch back to the holder. */
  DispatchAccept = 'dispatch_accept',
}

export enum TimerState {
  Armed = 'armed',
  Fired = 'fired',
  Cancelled = 'cancelled',
}

/**
 * A deadline. This row is the truth; the BullMQ delayed job is only its alarm clock.
 * `version` makes a job id unique per arming so a stale job can never fire a re-armed timer.
 */
@Entity('sla_timer')
export class SlaTimer {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: number;

  @Column({ name: 'ticket_id', type: 'bigint', unsigned: true })
  ticketId!: number;

  @Column({ type: 'varchar', length: 20 })
  kind!: TimerKind;

  @Column({ type: 'tinyint', unsigned: true })
  level!: EscalationLevel;

  @Column({ name: 'due_at', type: 'datetime', precision: 3 })
  dueAt!: Date;

  @Column({ type: 'varchar', length: 10 })
  state!: TimerState;

  @Column({ type: 'int', unsigned: true, default: 1 })
  version!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'fired_at', type: 'datetime', precision: 3, nullable: true })
  firedAt!: Date | null;
}
