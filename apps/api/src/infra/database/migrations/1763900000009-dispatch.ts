import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The maintenance service's dispatch: crews' skills and areas, each dispatch of a ticket to a
 * crew (accept, decline, arrival with its proof, remote diagnosis), and the work lines that make
 * the bill, each at the price-list version of its time and linked to the line it is a free
 * warranty repeat of.
 */
export class Dispatch1763900000009 implements MigrationInterface {
  name = 'Dispatch1763900000009';

  async up(q: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE crew_skill (
      crew_id INT UNSIGNED NOT NULL,
      skill VARCHAR(20) NOT NULL,
      PRIMARY KEY (crew_id, skill),
      CONSTRAINT fk_crew_skill_crew FOREIGN KEY (crew_id) REFERENCES crew (id)
    ) ${table}`);
    await q.query(`CREATE TABLE crew_area (
      crew_id INT UNSIGNED NOT NULL,
      grid_id INT UNSIGNED NOT NULL,
      PRIMARY KEY (crew_id, grid_id),
      CONSTRAINT fk_crew_area_crew FOREIGN KEY (crew_id) REFERENCES crew (id),
      CONSTRAINT fk_crew_area_grid FOREIGN KEY (grid_id) REFERENCES grid (id)
    ) ${table}`);
    await q.query(`CREATE TABLE ticket_dispatch (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      ticket_id BIGINT UNSIGNED NOT NULL,
      crew_id INT UNSIGNED NOT NULL,
      state VARCHAR(12) NOT NULL,
      auto TINYINT(1) NOT NULL,
      note VARCHAR(500) NULL,
      dispatched_by INT UNSIGNED NOT NULL,
      dispatched_at DATETIME(3) NOT NULL,
      accept_due_at DATETIME(3) NOT NULL,
      on_site_due_at DATETIME(3) NOT NULL,
      accepted_by INT UNSIGNED NULL,
      accepted_at DATETIME(3) NULL,
      declined_reason VARCHAR(500) NULL,
      arrived_at DATETIME(3) NULL,
      arrival_proof VARCHAR(10) NULL,
      distance_m INT UNSIGNED NULL,
      remote TINYINT(1) NOT NULL DEFAULT 0,
      finished_at DATETIME(3) NULL,
      KEY ix_dispatch_ticket (ticket_id, id),
      KEY ix_dispatch_crew (crew_id, state, dispatched_at),
      CONSTRAINT fk_dispatch_ticket FOREIGN KEY (ticket_id) REFERENCES ticket (id),
      CONSTRAINT fk_dispatch_crew FOREIGN KEY (crew_id) REFERENCES crew (id)
    ) ${table}`);
    await q.query(`CREATE TABLE work_line (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      ticket_id BIGINT UNSIGNED NOT NULL,
      dispatch_id INT UNSIGNED NOT NULL,
      firm_id INT UNSIGNED NOT NULL,
      equipment_code VARCHAR(64) NULL,
      kind VARCHAR(8) NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      version_id INT UNSIGNED NOT NULL,
      code VARCHAR(64) NOT NULL,
      name VARCHAR(100) NOT NULL,
      unit VARCHAR(20) NOT NULL,
      quantity INT UNSIGNED NOT NULL,
      unit_price_fen INT UNSIGNED NOT NULL,
      amount_fen INT UNSIGNED NOT NULL,
      warranty_days INT UNSIGNED NOT NULL,
      warranty_of_line_id INT UNSIGNED NULL,
      recorded_by INT UNSIGNED NOT NULL,
      recorded_at DATETIME(3) NOT NULL,
      idempotency_key VARCHAR(64) NULL,
      UNIQUE KEY uq_work_line_idempotency_key (idempotency_key),
      KEY ix_work_line_ticket (ticket_id, id),
      KEY ix_work_line_machine (firm_id, equipment_code, kind, code, recorded_at),
      CONSTRAINT fk_work_line_ticket FOREIGN KEY (ticket_id) REFERENCES ticket (id),
      CONSTRAINT fk_work_line_dispatch FOREIGN KEY (dispatch_id) REFERENCES ticket_dispatch (id)
    ) ${table}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['work_line', 'ticket_dispatch', 'crew_area', 'crew_skill']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
