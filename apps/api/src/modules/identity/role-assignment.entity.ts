import { Role } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One role of a person in one scope. A person may hold several; revoked ones stay for history. */
@Entity('role_assignment')
export class RoleAssignment {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'person_id', type: 'int', unsigned: true })
  personId!: number;

  @Column({ type: 'varchar', length: 24 })
  role!: Role;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ name: 'grid_id', type: 'int', unsigned: true, nullable: true })
  gridId!: number | null;

  @Column({ name: 'microgrid_id', type: 'int', unsigned: true, nullable: true })
  microgridId!: number | null;

  @Column({ name: 'firm_id', type: 'int', unsigned: true, nullable: true })
  firmId!: number | null;

  @Column({ name: 'department_id', type: 'int', unsigned: true, nullable: true })
  departmentId!: number | null;

  @Column({ name: 'crew_id', type: 'int', unsigned: true, nullable: true })
  crewId!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt!: Date | null;
}
