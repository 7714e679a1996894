import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 交接班: what the person going off duty leaves for whoever comes on next in the same scope and level. */
@Entity('duty_handover')
export class DutyHandover {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'shift_id', type: 'int', unsigned: true })
  shiftId!: number;

  @Column({ name: 'from_person_id', type: 'int', unsigned: true })
  fromPersonId!: number;

  @Column({ type: 'varchar', length: 1000 })
  note!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  @Column({ name: 'acknowledged_by', type: 'int', unsigned: true, nullable: true })
  acknowledgedBy!: number | null;

  @Column({ name: 'acknowledged_at', type: 'datetime', precision: 3, nullable: true })
  acknowledgedAt!: Date | null;
}
