import { ArrivalProof, DispatchState, WorkLineKind } from '@qihu/contracts';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A skill a crew has (electrical, mechanical, hydraulic, boiler, paper_machine …). */
@Entity('crew_skill')
export class CrewSkill {
  @PrimaryColumn({ name: 'crew_id', type: 'int', unsigned: true })
  crewId!: number;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  skill!: string;
}

/** A grid a crew serves; a crew with none serves the whole community. */
@Entity('crew_area')
export class CrewArea {
  @PrimaryColumn({ name: 'crew_id', type: 'int', unsigned: true })
  crewId!: number;

  @PrimaryColumn({ name: 'grid_id', type: 'int', unsigned: true })
  gridId!: number;
}

/** One dispatch of a ticket to a crew; a declined or expired one stays for the record. */
@Entity('ticket_dispatch')
export class TicketDispatch {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'ticket_id', type: 'bigint', unsigned: true })
  ticketId!: number;

  @Column({ name: 'crew_id', type: 'int', unsigned: true })
  crewId!: number;

  @Column({ type: 'varchar', length: 12 })
  state!: DispatchState;

  @Column({ type: 'boolean' })
  auto!: boolean;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;

  @Column({ name: 'dispatched_by', type: 'int', unsigned: true })
  dispatchedBy!: number;

  @Column({ name: 'dispatched_at', type: 'datetime', precision: 3 })
  dispatchedAt!: Date;

  @Column({ name: 'accept_due_at', type: 'datetime', precision: 3 })
  acceptDueAt!: Date;

  @Column({ name: 'on_site_due_at', type: 'datetime', precision: 3 })
  onSiteDueAt!: Date;

  @Column({ name: 'accepted_by', type: 'int', unsigned: true, nullable: true })
  acceptedBy!: number | null;

  @Column({ name: 'accepted_at', type: 'datetime', precision: 3, nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'declined_reason', type: 'varchar', length: 500, nullable: true })
  declinedReason!: string | null;

  @Column({ name: 'arrived_at', type: 'datetime', precision: 3, nullable: true })
  arrivedAt!: Date | null;

  @Column({ name: 'arrival_proof', type: 'varchar', length: 10, nullable: true })
  arrivalProof!: ArrivalProof | null;

  @Column({ name: 'distance_m', type: 'int', unsigned: true, nullable: true })
  distanceM!: number | null;

  @Column({ type: 'boolean', default: false })
  remote!: boolean;

  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true })
  finishedAt!: Date | null;
}

/**
 * A service item or part used on a ticket, at the price of the time of work (the price-list
 * version is kept). A repeat on the same machine within the first line's warranty is free
 * and points at it.
 */
@Entity('work_line')
export class WorkLine {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'community_id', type: 'int', unsigned: true })
  communityId!: number;

  @Column({ name: 'ticket_id', type: 'bigint', unsigned: true })
  ticketId!: number;

  @Column({ name: 'dispatch_id', type: 'int', unsigned: true })
  dispatchId!: number;

  @Column({ name: 'firm_id', type: 'int', unsigned: true })
  firmId!: number;

  /** The machine (its code in the firm), when the ticket names one: warranty is per machine. */
  @Column({ name: 'equipment_code', type: 'varchar', length: 64, nullable: true })
  equipmentCode!: string | null;

  @Column({ type: 'varchar', length: 8 })
  kind!: WorkLineKind;

  @Column({ name: 'item_id', type: 'int', unsigned: true })
  itemId!: number;

  @Column({ name: 'version_id', type: 'int', unsigned: true })
  versionId!: number;

  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  unit!: string;

  @Column({ type: 'int', unsigned: true })
  quantity!: number;

  @Column({ name: 'unit_price_fen', type: 'int', unsigned: true })
  unitPriceFen!: number;

  @Column({ name: 'amount_fen', type: 'int', unsigned: true })
  amountFen!: number;

  @Column({ name: 'warranty_days', type: 'int', unsigned: true })
  warrantyDays!: number;

  @Column({ name: 'warranty_of_line_id', type: 'int', unsigned: true, nullable: true })
  warrantyOfLineId!: number | null;

  @Column({ name: 'recorded_by', type: 'int', unsigned: true })
  recordedBy!: number;

  @Column({ name: 'recorded_at', type: 'datetime', precision: 3 })
  recordedAt!: Date;

  /** The client's Idempotency-Key: a retried line is found, not recorded twice. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 64, nullable: true })
  idempotencyKey!: string | null;
}
