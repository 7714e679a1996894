import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Equipment files (一设备一档): one row per machine of a firm.
 *
 * The code is unique in the community (the label and tickets quote it; the collation makes the
 * match ignore case, as a person typing a painted code would). A machine's history is not
 * stored here: it is the tickets whose `equipment_code` is this code in this firm. The label
 * token is random and compared byte for byte (ascii_bin), since it is the proof of a scan.
 * `idempotency_key` + `request_hash` let a retried create answer with the machine it made.
 *
 * `recurring_fault_notice` remembers when the community admin was last told of each 一类事
 * group (by its stable key), so the daily check tells them once per window, from any process.
 */
export class Equipment1763900000007 implements MigrationInterface {
  name = 'Equipment1763900000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE equipment (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      firm_id INT UNSIGNED NOT NULL,
      code VARCHAR(64) NOT NULL,
      name VARCHAR(100) NOT NULL,
      model VARCHAR(100) NOT NULL DEFAULT '',
      maker VARCHAR(100) NOT NULL DEFAULT '',
      skill VARCHAR(16) NOT NULL,
      installed_on DATE NULL,
      location_in_plant VARCHAR(100) NOT NULL DEFAULT '',
      label_token VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      idempotency_key VARCHAR(64) NULL,
      request_hash CHAR(64) NULL,
      created_by INT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      retired_at DATETIME(3) NULL,
      UNIQUE KEY uq_equipment_code (community_id, code),
      UNIQUE KEY uq_equipment_label_token (label_token),
      UNIQUE KEY uq_equipment_idempotency_key (idempotency_key),
      KEY ix_equipment_firm (firm_id, retired_at, code),
      KEY ix_equipment_model (community_id, model, maker),
      CONSTRAINT fk_equipment_community FOREIGN KEY (community_id) REFERENCES community (id),
      CONSTRAINT fk_equipment_firm FOREIGN KEY (firm_id) REFERENCES firm (id),
      CONSTRAINT fk_equipment_created_by FOREIGN KEY (created_by) REFERENCES person (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE recurring_fault_notice (
      community_id INT UNSIGNED NOT NULL,
      group_key VARCHAR(255) NOT NULL,
      notified_at DATETIME(3) NULL,
      PRIMARY KEY (community_id, group_key),
      CONSTRAINT fk_recurring_fault_notice_community FOREIGN KEY (community_id) REFERENCES community (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE recurring_fault_notice');
    await q.query('DROP TABLE equipment');
  }
}
