import { DutyAlertOrigin, DutyAlertResolution, DutyScopeKind, EscalationLevel } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A coverage gap: nobody on duty in a scope at a level over [gapStart, gapEnd). Open while resolvedAt is null. */
@Entity('duty_alert')
export class DutyAlert {
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

  @Column({ name: 'gap_start', type: 'datetime', precision: 3 })
  gapStart!: Date;

  @Column({ name: 'gap_end', type: 'datetime', precision: 3 })
  gapEnd!: Date;

  @Column({ type: 'varchar', length: 12 })
  origin!: DutyAlertOrigin;

  @Column({ name: 'raised_at', type: 'datetime', precision: 3 })
  raisedAt!: Date;

  @Column({ name: 'resolved_at', type: 'datetime', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  resolution!: DutyAlertResolution | null;
}
