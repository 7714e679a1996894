import { EscalationLevel, Role, TicketStatus } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('ticket')
export class Ticket {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: number;

  /** Human-readable, e.g. QH20261123-0007 (day in Asia/Shanghai). */
  @Column({ type: 'varchar', length: 20 })
  number!: string;

  /** The community, grid and micro-grid the ticket was raised in; they never change after. */
  @Column({ name: 'community_id', type: 'int', unsigned: true, nullable: true })
  communityId!: number | null;

  @Column({ name: 'grid_id', type: 'int', unsigned: true, nullable: true })
  gridId!: number | null;

  @Column({ name: 'microgrid_id', type: 'int', unsigned: true, nullable: true })
  microgridId!: number | null;

  @Column({ name: 'requester_id', type: 'int', unsigned: true, nullable: true })
  requesterId!: number | null;

  /** The role it was raised in: a worker's ticket is hidden from the firm's contacts. */
  @Column({ name: 'requester_role', type: 'varchar', length: 24 })
  requesterRole!: Role;

  @Column({ name: 'firm_id', type: 'int', unsigned: true })
  firmId!: number;

  @Column({ name: 'category_id', type: 'int', unsigned: true })
  categoryId!: number;

  @Column({ type: 'varchar', length: 2000, default: '' })
  description!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: TicketStatus;

  @Column({ type: 'tinyint', unsigned: true, default: 0 })
  level!: EscalationLevel;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 64, nullable: true })
  idempotencyKey!: string | null;

  /** sha256 of the create request, to tell a retry from a reused key. */
  @Column({ name: 'request_hash', type: 'char', length: 64, nullable: true })
  requestHash!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'datetime', precision: 3, nullable: true })
  acknowledgedAt!: Date | null;
}
