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

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;
}
