import { CategoryGroup, SlaCalendarKind } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A request category with its routing (owning department) and SLA policy. */
@Entity('category')
export class Category {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  group!: CategoryGroup;

  @Column({ name: 'department_id', type: 'int', unsigned: true, nullable: true })
  departmentId!: number | null;

  @Column({ name: 'ack_minutes', type: 'int', unsigned: true })
  ackMinutes!: number;

  @Column({ name: 'escalate_minutes', type: 'int', unsigned: true })
  escalateMinutes!: number;

  @Column({ name: 'resolve_minutes', type: 'int', unsigned: true })
  resolveMinutes!: number;

  @Column({ name: 'confirm_hours', type: 'int', unsigned: true })
  confirmHours!: number;

  @Column({ type: 'varchar', length: 16 })
  calendar!: SlaCalendarKind;

  /** 四必到: resolving needs an on-site check-in. */
  @Column({ name: 'requires_on_site', type: 'boolean' })
  requiresOnSite!: boolean;
}
