import { GridStatus, MicrogridKind } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('microgrid')
export class Microgrid {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'grid_id', type: 'int', unsigned: true })
  gridId!: number;

  /** Grid code + 2 digits (libs/domain makeMicrogridCode). */
  @Column({ type: 'char', length: 17 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: MicrogridKind;

  @Column({ type: 'varchar', length: 12 })
  status!: GridStatus;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'withdrawn_at', type: 'datetime', precision: 3, nullable: true })
  withdrawnAt!: Date | null;
}
