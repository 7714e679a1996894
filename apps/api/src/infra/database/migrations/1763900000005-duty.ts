import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Duty rosters (24小时值守): shifts per scope and ladder level, the weekly templates they are
 * materialised from, swaps, handover notes and coverage-gap alerts.
 *
 * A scope is polymorphic (grid, micro-grid or department: `scope_kind` + `scope_id`), so it has
 * no foreign key; every row carries its community for tenancy. Routing asks "who is on duty in
 * scope X at level L at instant T" inside ticket intake: ix_duty_shift_scope answers it as one
 * range scan over the live (not cancelled) shifts that start in the week before T.
 */
export class Duty1763900000005 implements MigrationInterface {
  name = 'Duty1763900000005';

  async up(q: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    // One live template per scope and level: `live` is 1 while not deleted, NULL after, and a
    // unique key ignores NULLs, so deleted templates stay for the shifts that point at them.
    await q.query(`CREATE TABLE duty_template (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      scope_kind VARCHAR(12) NOT NULL,
      scope_id INT UNSIGNED NOT NULL,
      level TINYINT UNSIGNED NOT NULL,
      name VARCHAR(50) NOT NULL DEFAULT '',
      materialised_until DATETIME(3) NOT NULL,
      created_by INT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      deleted_at DATETIME(3) NULL,
      live TINYINT AS (IF(deleted_at IS NULL, 1, NULL)) STORED,
      UNIQUE KEY uq_duty_template_scope (scope_kind, scope_id, level, live),
      KEY ix_duty_template_community (community_id, deleted_at),
      CONSTRAINT fk_duty_template_community FOREIGN KEY (community_id) REFERENCES community (id)
    ) ${table}`);
    await q.query(`CREATE TABLE duty_template_slot (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      template_id INT UNSIGNED NOT NULL,
      weekday TINYINT UNSIGNED NOT NULL,
      start_time CHAR(5) NOT NULL,
      end_time CHAR(5) NOT NULL,
      person_id INT UNSIGNED NOT NULL,
      backup_person_id INT UNSIGNED NULL,
      KEY ix_duty_template_slot_template (template_id),
      CONSTRAINT fk_duty_template_slot_template FOREIGN KEY (template_id) REFERENCES duty_template (id) ON DELETE CASCADE,
      CONSTRAINT fk_duty_template_slot_person FOREIGN KEY (person_id) REFERENCES person (id),
      CONSTRAINT fk_duty_template_slot_backup FOREIGN KEY (backup_person_id) REFERENCES person (id)
    ) ${table}`);
    await q.query(`CREATE TABLE duty_shift (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      scope_kind VARCHAR(12) NOT NULL,
      scope_id INT UNSIGNED NOT NULL,
      level TINYINT UNSIGNED NOT NULL,
      person_id INT UNSIGNED NOT NULL,
      backup_person_id INT UNSIGNED NULL,
      starts_at DATETIME(3) NOT NULL,
      ends_at DATETIME(3) NOT NULL,
      source VARCHAR(12) NOT NULL,
      template_id INT UNSIGNED NULL,
      note VARCHAR(200) NOT NULL DEFAULT '',
      created_by INT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL,
      cancelled_at DATETIME(3) NULL,
      KEY ix_duty_shift_scope (scope_kind, scope_id, level, cancelled_at, starts_at, ends_at),
      KEY ix_duty_shift_community (community_id, cancelled_at, starts_at),
      KEY ix_duty_shift_person (person_id, starts_at),
      KEY ix_duty_shift_backup (backup_person_id, starts_at),
      KEY ix_duty_shift_template (template_id, starts_at),
      CONSTRAINT fk_duty_shift_community FOREIGN KEY (community_id) REFERENCES community (id),
      CONSTRAINT fk_duty_shift_person FOREIGN KEY (person_id) REFERENCES person (id),
      CONSTRAINT fk_duty_shift_backup FOREIGN KEY (backup_person_id) REFERENCES person (id),
      CONSTRAINT fk_duty_shift_template FOREIGN KEY (template_id) REFERENCES duty_template (id)
    ) ${table}`);
    await q.query(`CREATE TABLE duty_swap (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      shift_id INT UNSIGNED NOT NULL,
      counterpart_shift_id INT UNSIGNED NULL,
      requester_id INT UNSIGNED NOT NULL,
      counterpart_id INT UNSIGNED NOT NULL,
      status VARCHAR(12) NOT NULL DEFAULT 'pending',
      note VARCHAR(200) NOT NULL DEFAULT '',
      decided_by INT UNSIGNED NULL,
      decided_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_duty_swap_requester (requester_id, status),
      KEY ix_duty_swap_counterpart (counterpart_id, status),
      KEY ix_duty_swap_community (community_id, status),
      CONSTRAINT fk_duty_swap_shift FOREIGN KEY (shift_id) REFERENCES duty_shift (id),
      CONSTRAINT fk_duty_swap_counterpart_shift FOREIGN KEY (counterpart_shift_id) REFERENCES duty_shift (id),
      CONSTRAINT fk_duty_swap_requester FOREIGN KEY (requester_id) REFERENCES person (id),
      CONSTRAINT fk_duty_swap_counterpart FOREIGN KEY (counterpart_id) REFERENCES person (id)
    ) ${table}`);
    await q.query(`CREATE TABLE duty_handover (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      shift_id INT UNSIGNED NOT NULL,
      from_person_id INT UNSIGNED NOT NULL,
      note VARCHAR(1000) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      acknowledged_by INT UNSIGNED NULL,
      acknowledged_at DATETIME(3) NULL,
      UNIQUE KEY uq_duty_handover_shift (shift_id),
      CONSTRAINT fk_duty_handover_shift FOREIGN KEY (shift_id) REFERENCES duty_shift (id),
      CONSTRAINT fk_duty_handover_from FOREIGN KEY (from_person_id) REFERENCES person (id),
      CONSTRAINT fk_duty_handover_ack FOREIGN KEY (acknowledged_by) REFERENCES person (id)
    ) ${table}`);
    // One row per gap; the housekeeping job follows each open gap, folds duplicates (two intakes
    // meeting the same gap at once) into one, and resolves them when filled or past.
    await q.query(`CREATE TABLE duty_alert (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      scope_kind VARCHAR(12) NOT NULL,
      scope_id INT UNSIGNED NOT NULL,
      level TINYINT UNSIGNED NOT NULL,
      gap_start DATETIME(3) NOT NULL,
      gap_end DATETIME(3) NOT NULL,
      origin VARCHAR(12) NOT NULL,
      raised_at DATETIME(3) NOT NULL,
      resolved_at DATETIME(3) NULL,
      resolution VARCHAR(12) NULL,
      KEY ix_duty_alert_open (scope_kind, scope_id, level, resolved_at, gap_start),
      KEY ix_duty_alert_community (community_id, resolved_at, gap_start),
      CONSTRAINT fk_duty_alert_community FOREIGN KEY (community_id) REFERENCES community (id)
    ) ${table}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['duty_alert', 'duty_handover', 'duty_swap', 'duty_shift', 'duty_template_slot', 'duty_template']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
