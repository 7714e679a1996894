import { CommunityClass } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('community')
export class Community {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  /** 12-digit statistical division code of the community (社区/村 level). */
  @Column({ type: 'char', length: 12 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  class!: CommunityClass;

  /** Firms per grid outside this band are warned about (20–50 by default), never refused. */
  @Column({ name: 'firm_band_min', type: 'smallint', unsigned: true })
  firmBandMin!: number;

  @Column({ name: 'firm_band_max', type: 'smallint', unsigned: true })
  firmBandMax!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
