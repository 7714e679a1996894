import { DutyScopeKind, EscalationLevel } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The weekly pattern of one scope and level; at most one live (not deleted) per scope and level. */
@Entity('duty_template')
export class DutyTemplate {
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

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  /** Occurrences starting before this instant exist as shifts; the next run starts here. */
  @Column({ name: 'materialised_until', type: 'datetime', precision: 3 })
  materialisedUntil!: Date;

  @Column({ name: 'created_by', type: 'int', unsigned: true, nullable: true })
  createdBy!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true })
  deletedAt!: Date | null;
}

/** One row of a weekly pattern: ISO weekday, Shanghai wall-clock start and end (`HH:mm`). */
@Entity('duty_template_slot')
export class DutyTemplateSlotRow {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'template_id', type: 'int', unsigned: true })
  templateId!: number;

  @Column({ type: 'tinyint', unsigned: true })
  weekday!: number;

  @Column({ name: 'start_time', type: 'char', length: 5 })
  startTime!: string;

  @Column({ name: 'end_time', type: 'char', length: 5 })
  endTime!: string;

  @Column({ name: 'person_id', type: 'int', unsigned: true })
  personId!: number;

  @Column({ name: 'backup_person_id', type: 'int', unsigned: true, nullable: true })
  backupPersonId!: number | null;
}
