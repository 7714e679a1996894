import { DutySwapStatus } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A request to hand a shift to a colleague, or to exchange it for one of theirs. */
@Entity('duty_swap')
export class DutySwap {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ name: 'shift_id', type: 'int', unsigned: true })
  shiftId!: number;

  /** Null: a hand-over (the counterpart takes the shift); else the two shifts exchange persons. */
  @Column({ name: 'counterpart_shift_id', type: 'int', unsigned: true, nullable: true })
  counterpartShiftId!: number | null;

  @Column({ name: 'requester_id', type: 'int', unsigned: true })
  requesterId!: number;

  @Column({ name: 'counterpart_id', type: 'int', unsigned: true })
  counterpartId!: number;

  @Column({ type: 'varchar', length: 12 })
  status!: DutySwapStatus;

  @Column({ type: 'varchar', length: 200 })
  note!: string;

  @Column({ name: 'decided_by', type: 'int', unsigned: true, nullable: true })
  decidedBy!: number | null;

  @Column({ name: 'decided_at', type: 'datetime', precision: 3, nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
