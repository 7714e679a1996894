import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The full pipeline on the ticket: urgency, place, equipment, anonymity, the holder from the duty
 * roster, the current deadline (mirrored from sla_timer so inboxes sort on an index), rating and
 * the instants of each step. Events gain who acted, a note, typed data and the action's
 * idempotency key, so a retried action is recognised.
 */
export class TicketPipeline1763900000003 implements MigrationInterface {
  name = 'TicketPipeline1763900000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket
      ADD COLUMN urgency VARCHAR(10) NOT NULL DEFAULT 'normal' AFTER description,
      ADD COLUMN latitude DOUBLE NULL AFTER urgency,
      ADD COLUMN longitude DOUBLE NULL AFTER latitude,
      ADD COLUMN address VARCHAR(200) NOT NULL DEFAULT '' AFTER longitude,
      ADD COLUMN equipment_code VARCHAR(64) NULL AFTER address,
      ADD COLUMN anonymous TINYINT(1) NOT NULL DEFAULT 0 AFTER equipment_code,
      ADD COLUMN holder_id INT UNSIGNED NULL AFTER level,
      ADD COLUMN deadline_kind VARCHAR(10) NULL AFTER holder_id,
      ADD COLUMN deadline_at DATETIME(3) NULL AFTER deadline_kind,
      ADD COLUMN overdue TINYINT(1) NOT NULL DEFAULT 0 AFTER deadline_at,
      ADD COLUMN supervised TINYINT(1) NOT NULL DEFAULT 0 AFTER overdue,
      ADD COLUMN rating TINYINT UNSIGNED NULL AFTER supervised,
      ADD COLUMN rating_comment VARCHAR(500) NULL AFTER rating,
      ADD COLUMN checked_in_at DATETIME(3) NULL AFTER acknowledged_at,
      ADD COLUMN resolved_at DATETIME(3) NULL AFTER checked_in_at,
      ADD COLUMN closed_at DATETIME(3) NULL AFTER resolved_at,
      ADD KEY ix_ticket_grid_open (community_id, grid_id, closed_at, deadline_at),
      ADD KEY ix_ticket_holder (holder_id, closed_at, deadline_at),
      ADD KEY ix_ticket_firm (firm_id, created_at),
      ADD KEY ix_ticket_requester (requester_id, created_at),
      ADD KEY ix_ticket_equipment (firm_id, equipment_code, created_at),
      ADD KEY ix_ticket_community_created (community_id, created_at)`);
    await q.query(`ALTER TABLE ticket_event
      ADD COLUMN actor_person_id INT UNSIGNED NULL AFTER actor,
      ADD COLUMN note VARCHAR(2000) NULL AFTER actor_person_id,
      ADD COLUMN data JSON NULL AFTER note,
      ADD COLUMN idempotency_key VARCHAR(64) NULL AFTER data,
      ADD UNIQUE KEY uq_ticket_event_idempotency_key (idempotency_key)`);
    // The reconciler looks up timers written since its last pass (a crash before enqueue).
    await q.query('ALTER TABLE sla_timer ADD KEY ix_sla_timer_created (created_at)');
    // Workers' requests were hidden from their firm by role until now: keep them hidden.
    await q.query("UPDATE ticket SET anonymous = 1 WHERE requester_role = 'worker'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sla_timer DROP KEY ix_sla_timer_created');
    await q.query(`ALTER TABLE ticket_event DROP KEY uq_ticket_event_idempotency_key,
      DROP COLUMN idempotency_key, DROP COLUMN data, DROP COLUMN note, DROP COLUMN actor_person_id`);
    await q.query(`ALTER TABLE ticket DROP KEY ix_ticket_grid_open, DROP KEY ix_ticket_holder, DROP KEY ix_ticket_firm,
      DROP KEY ix_ticket_requester, DROP KEY ix_ticket_equipment, DROP KEY ix_ticket_community_created, DROP COLUMN urgency, DROP COLUMN latitude, DROP COLUMN longitude, DROP COLUMN address,
      DROP COLUMN equipment_code, DROP COLUMN anonymous, DROP COLUMN holder_id, DROP COLUMN deadline_kind,
      DROP COLUMN deadline_at, DROP COLUMN overdue, DROP COLUMN supervised, DROP COLUMN rating, DROP COLUMN rating_comment,
      DROP COLUMN checked_in_at, DROP COLUMN resolved_at, DROP COLUMN closed_at`);
  }
}
