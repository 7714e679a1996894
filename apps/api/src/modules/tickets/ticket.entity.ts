import { DeadlineKind, EscalationLevel, Role, TicketStatus, Urgency } from '@qihu/contracts';
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

  @Column({ type: 'varchar', length: 10, default: Urgency.Normal })
  urgency!: Urgency;

  /** Where help is needed: the firm's registered place unless the requester gave one. */
  @Column({ type: 'double', nullable: true })
  latitude!: number | null;

  @Column({ type: 'double', nullable: true })
  longitude!: number | null;

  @Column({ type: 'varchar', length: 200, default: '' })
  address!: string;

  /** The machine's code from its QR label (一设备一档). */
  @Column({ name: 'equipment_code', type: 'varchar', length: 64, nullable: true })
  equipmentCode!: string | null;

  /** A worker's request hidden from the firm's contacts (staff still see who asked). */
  @Column({ type: 'boolean', default: false })
  anonymous!: boolean;

  /** Who holds it now, from the duty roster (or a transfer); null when nobody could be found. */
  @Column({ name: 'holder_id', type: 'int', unsigned: true, nullable: true })
  holderId!: number | null;

  /** The deadline the ticket runs against now (mirrors its armed sla_timer), for sorting inboxes. */
  @Column({ name: 'deadline_kind', type: 'varchar', length: 10, nullable: true })
  deadlineKind!: DeadlineKind | null;

  @Column({ name: 'deadline_at', type: 'datetime', precision: 3, nullable: true })
  deadlineAt!: Date | null;

  /** The resolve deadline passed while it was still open. */
  @Column({ type: 'boolean', default: false })
  overdue!: boolean;

  /** 督办 by the community: shown on every list. */
  @Column({ type: 'boolean', default: false })
  supervised!: boolean;

  @Column({ type: 'tinyint', unsigned: true, nullable: true })
  rating!: number | null;

  @Column({ name: 'rating_comment', type: 'varchar', length: 500, nullable: true })
  ratingComment!: string | null;

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

  @Column({ name: 'checked_in_at', type: 'datetime', precision: 3, nullable: true })
  checkedInAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'datetime', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'datetime', precision: 3, nullable: true })
  closedAt!: Date | null;
}
