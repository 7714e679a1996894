import { MaintenanceSkill } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Columns both catalogues share: a service item of the price list, or a part. */
abstract class CatalogueEntry {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  /** Bills and dispatch refer to the code, so it never changes. */
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ type: 'varchar', length: 10 })
  unit!: string;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** A line of the unified price list (统一价目表): a kind of work with its unit. */
@Entity('service_item')
export class ServiceItem extends CatalogueEntry {
  @Column({ type: 'varchar', length: 16 })
  skill!: MaintenanceSkill;
}

/** A part of the parts catalogue (配件目录). */
@Entity('part')
export class Part extends CatalogueEntry {
  @Column({ type: 'varchar', length: 100 })
  spec!: string;
}

/**
 * One price of a catalogue entry, in force over [validFrom, validTo). Only validTo of the version
 * before is ever written after insert (when the next version starts); the price itself never is.
 */
export abstract class PriceVersion {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  /** The service item or the part this prices (column item_id or part_id). */
  abstract itemId: number;

  @Column({ type: 'int', unsigned: true })
  version!: number;

  @Column({ name: 'price_fen', type: 'int', unsigned: true })
  priceFen!: number;

  @Column({ name: 'warranty_days', type: 'smallint', unsigned: true })
  warrantyDays!: number;

  @Column({ name: 'valid_from', type: 'datetime', precision: 3 })
  validFrom!: Date;

  @Column({ name: 'valid_to', type: 'datetime', precision: 3, nullable: true })
  validTo!: Date | null;

  @Column({ type: 'varchar', length: 200 })
  note!: string;

  @Column({ name: 'created_by', type: 'int', unsigned: true })
  createdBy!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

@Entity('service_item_price')
export class ServiceItemPrice extends PriceVersion {
  @Column({ name: 'item_id', type: 'int', unsigned: true })
  itemId!: number;
}

@Entity('part_price')
export class PartPrice extends PriceVersion {
  @Column({ name: 'part_id', type: 'int', unsigned: true })
  itemId!: number;
}
