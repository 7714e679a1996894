import { DutyScopeKind, EscalationLevel, ShiftSource } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One person (and a backup) on duty at one level of the ladder in one scope over [startsAt, endsAt). */
@Entity('duty_shift')
export class DutyShiftRow {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ name: 'scope_kind', type: 'varchar', length: 12 })
  scopeKind!: DutyScopeKind;

  @Column({ name: 'scope_id', type: 'int', unsigned: true })
  scopeId!: number;

  @Column({ type: 'tinyint', unsigned: true })
  level!: EscalationLevel;

  @Column({ name: 'person_id', type: 'int', unsigned: true })
  personId!: number;

  @Column({ name: 'backup_person_id', type: 'int', unsigned: true, nullable: true })
  backupPersonId!: number | null;

  @Column({ name: 'starts_at', type: 'datetime', precision: 3 })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'datetime', precision: 3 })
  endsAt!: Date;

  @Column({ type: 'varchar', length: 12 })
  source!: ShiftSource;

  @Column({ name: 'template_id', type: 'int', unsigned: true, nullable: true })
  templateId!: number | null;

  @Column({ type: 'varchar', length: 200 })
  note!: string;

  /** Null when the housekeeping job materialised it. */
  @Column({ name: 'created_by', type: 'int', unsigned: true, nullable: true })
  createdBy!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'cancelled_at', type: 'datetime', precision: 3, nullable: true })
  cancelledAt!: Date | null;
}
