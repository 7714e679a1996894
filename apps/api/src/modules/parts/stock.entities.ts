import { StockMovementKind } from '@qihu/contracts';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A parts store (备件库): a crew's own (one per crew), or a central one of the community. */
@Entity('store')
export class Store {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ name: 'crew_id', type: 'int', unsigned: true, nullable: true })
  crewId!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

/** How many of one part one store holds; changed only together with a ledger row. */
@Entity('stock')
export class Stock {
  @PrimaryColumn({ name: 'store_id', type: 'int', unsigned: true })
  storeId!: number;

  @PrimaryColumn({ name: 'part_id', type: 'int', unsigned: true })
  partId!: number;

  @Column({ type: 'int', unsigned: true })
  quantity!: number;

  /** At or below it the part is low; a take or stocktake crossing it alerts the admins. */
  @Column({ name: 'low_threshold', type: 'int', unsigned: true })
  lowThreshold!: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** One row of the stock ledger. Never updated or deleted. */
@Entity('stock_movement')
export class StockMovement {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ name: 'store_id', type: 'int', unsigned: true })
  storeId!: number;

  @Column({ name: 'part_id', type: 'int', unsigned: true })
  partId!: number;

  @Column({ type: 'varchar', length: 10 })
  kind!: StockMovementKind;

  /** The signed change: a take is negative. */
  @Column({ type: 'int' })
  quantity!: number;

  @Column({ name: 'balance_after', type: 'int', unsigned: true })
  balanceAfter!: number;

  @Column({ name: 'ticket_id', type: 'bigint', unsigned: true, nullable: true })
  ticketId!: number | null;

  /** A return's take. */
  @Column({ name: 'take_id', type: 'bigint', unsigned: true, nullable: true })
  takeId!: number | null;

  /** Idempotency key, unique per kind: the caller's for a take, `Idempotency-Key` for a receipt or stocktake. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  reference!: string | null;

  @Column({ name: 'person_id', type: 'int', unsigned: true })
  personId!: number;

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;

  @Column({ type: 'varchar', length: 200 })
  note!: string;
}
