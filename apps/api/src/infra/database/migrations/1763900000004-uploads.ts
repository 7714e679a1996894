import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploaded photos and voice notes. Ids, hashes and storage keys are case-sensitive ASCII
 * (ascii_bin): base64url ids differing only in case are different uploads.
 *
 * ix_upload_ticket serves both a ticket's attachments (ticket_id = ?) and the clean-up of
 * unattached uploads (ticket_id IS NULL AND created_at < ?); ix_upload_person_pending serves
 * the retry dedupe and the per-person cap on unattached uploads.
 */
export class Uploads1763900000004 implements MigrationInterface {
  name = 'Uploads1763900000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE upload (
      id CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
      person_id INT UNSIGNED NOT NULL,
      kind VARCHAR(8) NOT NULL,
      mime VARCHAR(32) NOT NULL,
      size INT UNSIGNED NOT NULL,
      sha256 CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      storage_key VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      duration_ms INT UNSIGNED NULL,
      ticket_id BIGINT UNSIGNED NULL,
      event_id BIGINT UNSIGNED NULL,
      ordinal TINYINT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL,
      attached_at DATETIME(3) NULL,
      KEY ix_upload_ticket (ticket_id, created_at),
      KEY ix_upload_person_pending (person_id, ticket_id, created_at),
      CONSTRAINT fk_upload_person FOREIGN KEY (person_id) REFERENCES person (id),
      CONSTRAINT fk_upload_ticket FOREIGN KEY (ticket_id) REFERENCES ticket (id),
      CONSTRAINT fk_upload_event FOREIGN KEY (event_id) REFERENCES ticket_event (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE upload');
  }
}
