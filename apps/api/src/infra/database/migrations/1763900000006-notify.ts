import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications: the inbox (`notification`), the transactional outbox of WeChat subscribe
 * messages (`notification_outbox`, one row per notification that has a template, keyed by
 * it), the log of every delivery attempt, and each person's latest answer to the mini-program's
 * subscription prompt per kind.
 *
 * The outbox row is the truth about a delivery; the BullMQ job only wakes a worker up. `due_at`
 * is when the next attempt should run: a pending row well past it has lost its job, and the
 * relay enqueues it again.
 */
export class Notify1763900000006 implements MigrationInterface {
  name = 'Notify1763900000006';

  async up(q: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE notification (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      person_id INT UNSIGNED NOT NULL,
      kind VARCHAR(24) NOT NULL,
      ticket_id BIGINT UNSIGNED NULL,
      title VARCHAR(100) NOT NULL,
      body VARCHAR(500) NOT NULL,
      page VARCHAR(512) NOT NULL,
      data JSON NOT NULL,
      created_at DATETIME(3) NOT NULL,
      read_at DATETIME(3) NULL,
      KEY ix_notification_person (person_id, id),
      KEY ix_notification_unread (person_id, read_at),
      KEY ix_notification_ticket (ticket_id),
      CONSTRAINT fk_notification_person FOREIGN KEY (person_id) REFERENCES person (id),
      CONSTRAINT fk_notification_ticket FOREIGN KEY (ticket_id) REFERENCES ticket (id)
    ) ${table}`);
    await q.query(`CREATE TABLE notification_outbox (
      notification_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
      state VARCHAR(16) NOT NULL,
      attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
      due_at DATETIME(3) NOT NULL,
      msgid VARCHAR(32) NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_notification_outbox_state_due (state, due_at),
      CONSTRAINT fk_notification_outbox_notification FOREIGN KEY (notification_id) REFERENCES notification (id)
    ) ${table}`);
    await q.query(`CREATE TABLE notification_delivery (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      notification_id BIGINT UNSIGNED NOT NULL,
      attempt SMALLINT UNSIGNED NOT NULL,
      at DATETIME(3) NOT NULL,
      result VARCHAR(16) NOT NULL,
      errcode INT NULL,
      errmsg VARCHAR(255) NULL,
      ms INT UNSIGNED NOT NULL,
      KEY ix_notification_delivery_notification (notification_id, attempt),
      CONSTRAINT fk_notification_delivery_notification FOREIGN KEY (notification_id) REFERENCES notification (id)
    ) ${table}`);
    await q.query(`CREATE TABLE notification_subscription (
      person_id INT UNSIGNED NOT NULL,
      kind VARCHAR(24) NOT NULL,
      accepted TINYINT(1) NOT NULL,
      answered_at DATETIME(3) NOT NULL,
      PRIMARY KEY (person_id, kind),
      CONSTRAINT fk_notification_subscription_person FOREIGN KEY (person_id) REFERENCES person (id)
    ) ${table}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['notification_subscription', 'notification_delivery', 'notification_outbox', 'notification']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
