import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A maintenance crew (维修队) of the community; the maintenance issue grows it. */
@Entity('crew')
export class Crew {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
