import { EscalationLevel, TicketStatus } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row per transition: the ticket's timeline. Written in the transaction of the change. */
@Entity('ticket_event')
export class TicketEvent {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: number;

  @Column({ name: 'ticket_id', type: 'bigint', unsigned: true })
  ticketId!: number;

  /** The action taken (TicketAction), or 'created'. */
  @Column({ type: 'varchar', length: 20 })
  type!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 20, nullable: true })
  fromStatus!: TicketStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 20 })
  toStatus!: TicketStatus;

  @Column({ type: 'tinyint', unsigned: true })
  level!: EscalationLevel;

  /** Who acted: a role name until people exist, 'system' for the SLA clock. */
  @Column({ type: 'varchar', length: 50 })
  actor!: string;

  /** The person who acted; null for the SLA clock. */
  @Column({ name: 'actor_person_id', type: 'int', unsigned: true, nullable: true })
  actorPersonId!: number | null;

  /** Reason, note, comment or rating comment. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  /** By type: rating, check-in position, transfer target, skipped levels, warning percent … */
  @Column({ type: 'json', nullable: true })
  data!: object | null;

  /** The client's Idempotency-Key of the action that wrote this event: a retry finds it. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 64, nullable: true })
  idempotencyKey!: string | null;

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;
}
