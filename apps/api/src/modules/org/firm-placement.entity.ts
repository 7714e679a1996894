import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Which grid and micro-grid a firm belongs to from when to when. Open-ended: effectiveTo null. */
@Entity('firm_placement')
export class FirmPlacement {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'firm_id', type: 'int', unsigned: true })
  firmId!: number;

  @Column({ name: 'grid_id', type: 'int', unsigned: true })
  gridId!: number;

  @Column({ name: 'microgrid_id', type: 'int', unsigned: true })
  microgridId!: number;

  @Column({ name: 'effective_from', type: 'datetime', precision: 3 })
  effectiveFrom!: Date;

  @Column({ name: 'effective_to', type: 'datetime', precision: 3, nullable: true })
  effectiveTo!: Date | null;

  @Column({ type: 'varchar', length: 200 })
  reason!: string;
}
