import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A street/town department (经济发展, 应急管理 …): level 2 for the categories it owns. */
@Entity('department')
export class Department {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;
}
