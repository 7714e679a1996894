import { FirmScale } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A firm of a community. Its grid and micro-grid live in firm_placement (with dates). */
@Entity('firm')
export class Firm {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** 统一社会信用代码 (GB 32100), checked with libs/domain. */
  @Column({ name: 'credit_code', type: 'char', length: 18, nullable: true })
  creditCode!: string | null;

  @Column({ type: 'varchar', length: 8 })
  scale!: FirmScale;

  @Column({ type: 'varchar', length: 50 })
  industry!: string;

  @Column({ type: 'varchar', length: 200 })
  address!: string;

  @Column({ type: 'decimal', precision: 9, scale: 6, nullable: true, transformer: { to: (v) => v, from: (v) => (v === null ? null : Number(v)) } })
  latitude!: number | null;

  @Column({ type: 'decimal', precision: 9, scale: 6, nullable: true, transformer: { to: (v) => v, from: (v) => (v === null ? null : Number(v)) } })
  longitude!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
