import { ChangeRequestStatus, GridChangeKind } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What a split, merge or withdrawal will do; validated when requested and again when approved. */
export type GridChangePayload =
  | {
      kind: GridChangeKind.Split;
      gridId: number;
      /** The new grid takes these micro-grids (and their firms). */
      newGrid: { code: string; name: string };
      microgridIds: number[];
    }
  | { kind: GridChangeKind.Merge; fromGridId: number; intoGridId: number }
  | { kind: GridChangeKind.Withdraw; gridId: number };

@Entity('grid_change_request')
export class GridChangeRequest {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ type: 'varchar', length: 12 })
  kind!: GridChangeKind;

  @Column({ type: 'varchar', length: 12 })
  status!: ChangeRequestStatus;

  @Column({ type: 'json' })
  payload!: GridChangePayload;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column({ name: 'effective_from', type: 'datetime', precision: 3 })
  effectiveFrom!: Date;

  @Column({ name: 'requested_by', type: 'int', unsigned: true })
  requestedBy!: number;

  @Column({ name: 'decided_by', type: 'int', unsigned: true, nullable: true })
  decidedBy!: number | null;

  @Column({ name: 'decided_at', type: 'datetime', precision: 3, nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decision_note', type: 'varchar', length: 500 })
  decisionNote!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
