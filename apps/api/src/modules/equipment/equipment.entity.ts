import { MaintenanceSkill } from '@qihu/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A machine of a firm (一设备一档). Its faults are the tickets quoting its code in its firm. */
@Entity('equipment')
export class Equipment {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ name: 'firm_id', type: 'int', unsigned: true })
  firmId!: number;

  /** Unique in the community; never changed, since tickets quote it. */
  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 100 })
  model!: string;

  @Column({ type: 'varchar', length: 100 })
  maker!: string;

  @Column({ type: 'varchar', length: 16 })
  skill!: MaintenanceSkill;

  /** `YYYY-MM-DD`. */
  @Column({ name: 'installed_on', type: 'date', nullable: true })
  installedOn!: string | null;

  @Column({ name: 'location_in_plant', type: 'varchar', length: 100 })
  locationInPlant!: string;

  /** Random; only the printed QR label carries it (proof that someone scanned the machine). */
  @Column({ name: 'label_token', type: 'varchar', length: 64 })
  labelToken!: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 64, nullable: true })
  idempotencyKey!: string | null;

  /** sha256 of the create request, to tell a retry from a reused key. */
  @Column({ name: 'request_hash', type: 'char', length: 64, nullable: true })
  requestHash!: string | null;

  @Column({ name: 'created_by', type: 'int', unsigned: true, nullable: true })
  createdBy!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;

  @Column({ name: 'retired_at', type: 'datetime', precision: 3, nullable: true })
  retiredAt!: Date | null;
}
