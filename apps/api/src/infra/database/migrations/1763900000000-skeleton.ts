import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The walking skeleton's tables: firms and categories (to be grown by the organisation
 * module), tickets with their event history, and the SLA timers that are the truth of
 * every deadline (Redis only holds the alarm clock for them).
 */
export class Skeleton1763900000000 implements MigrationInterface {
  name = 'Skeleton1763900000000';

  async up(q: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE firm (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      credit_code CHAR(18) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_firm_credit_code (credit_code)
    ) ${table}`);
    await q.query(`CREATE TABLE category (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      code VARCHAR(32) NOT NULL,
      name VARCHAR(50) NOT NULL,
      UNIQUE KEY uq_category_code (code)
    ) ${table}`);
    await q.query(`CREATE TABLE ticket (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      number VARCHAR(20) NOT NULL,
      firm_id INT UNSIGNED NOT NULL,
      category_id INT UNSIGNED NOT NULL,
      description VARCHAR(2000) NOT NULL DEFAULT '',
      status VARCHAR(20) NOT NULL,
      level TINYINT UNSIGNED NOT NULL DEFAULT 0,
      idempotency_key VARCHAR(64) NULL,
      request_hash CHAR(64) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      acknowledged_at DATETIME(3) NULL,
      UNIQUE KEY uq_ticket_number (number),
      UNIQUE KEY uq_ticket_idempotency_key (idempotency_key),
      KEY ix_ticket_status (status),
      CONSTRAINT fk_ticket_firm FOREIGN KEY (firm_id) REFERENCES firm (id),
      CONSTRAINT fk_ticket_category FOREIGN KEY (category_id) REFERENCES category (id)
    ) ${table}`);
    await q.query(`CREATE TABLE ticket_event (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      ticket_id BIGINT UNSIGNED NOT NULL,
      type VARCHAR(20) NOT NULL,
      from_status VARCHAR(20) NULL,
      to_status VARCHAR(20) NOT NULL,
      level TINYINT UNSIGNED NOT NULL,
      actor VARCHAR(50) NOT NULL,
      at DATETIME(3) NOT NULL,
      KEY ix_ticket_event_ticket (ticket_id, id),
      CONSTRAINT fk_ticket_event_ticket FOREIGN KEY (ticket_id) REFERENCES ticket (id)
    ) ${table}`);
    // Day-scoped counter behind the human-readable ticket number (QHyyyymmdd-nnnn).
    await q.query(`CREATE TABLE ticket_counter (
      day CHAR(8) NOT NULL PRIMARY KEY,
      seq INT UNSIGNED NOT NULL
    ) ${table}`);
    await q.query(`CREATE TABLE sla_timer (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      ticket_id BIGINT UNSIGNED NOT NULL,
      kind VARCHAR(20) NOT NULL,
      level TINYINT UNSIGNED NOT NULL,
      due_at DATETIME(3) NOT NULL,
      state VARCHAR(10) NOT NULL,
      version INT UNSIGNED NOT NULL DEFAULT 1,
      created_at DATETIME(3) NOT NULL,
      fired_at DATETIME(3) NULL,
      KEY ix_sla_timer_state_due (state, due_at),
      KEY ix_sla_timer_ticket (ticket_id, state),
      CONSTRAINT fk_sla_timer_ticket FOREIGN KEY (ticket_id) REFERENCES ticket (id)
    ) ${table}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['sla_timer', 'ticket_counter', 'ticket_event', 'ticket', 'category', 'firm']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
