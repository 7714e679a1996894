import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unified price list (统一价目表) of service items, the parts catalogue (配件目录), both with
 * price versions, and parts stock per store with its ledger.
 *
 * A price version is in force over [valid_from, valid_to); the current one has valid_to NULL.
 * A price change adds a version and closes the one before; prices of old versions are never
 * updated, so a bill priced at an instant keeps its price.
 *
 * stock.quantity is UNSIGNED: besides the row lock taken by every change, the column itself
 * refuses to go below zero. stock_movement is the ledger: `quantity` the signed change,
 * `balance_after` the stock after it. `reference` makes a take (or a keyed receipt or stocktake)
 * idempotent, unique per kind of movement; `take_id` links a return to its take and is unique,
 * so a take is put back at most once. ticket_id has no foreign key: dispatch owns that link and
 * writes the takes in its own transaction on the ticket.
 */
export class Parts1763900000008 implements MigrationInterface {
  name = 'Parts1763900000008';

  async up(q: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE service_item (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      code VARCHAR(32) NOT NULL,
      name VARCHAR(50) NOT NULL,
      unit VARCHAR(10) NOT NULL,
      skill VARCHAR(16) NOT NULL,
      active TINYINT(1) NOT NULL DEFAULT 1,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_service_item_code (community_id, code),
      CONSTRAINT fk_service_item_community FOREIGN KEY (community_id) REFERENCES community (id)
    ) ${table}`);
    await q.query(`CREATE TABLE service_item_price (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      item_id INT UNSIGNED NOT NULL,
      version INT UNSIGNED NOT NULL,
      price_fen INT UNSIGNED NOT NULL,
      warranty_days SMALLINT UNSIGNED NOT NULL,
      valid_from DATETIME(3) NOT NULL,
      valid_to DATETIME(3) NULL,
      note VARCHAR(200) NOT NULL DEFAULT '',
      created_by INT UNSIGNED NOT NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_service_item_price_version (item_id, version),
      KEY ix_service_item_price_valid (item_id, valid_from),
      CONSTRAINT fk_service_item_price_item FOREIGN KEY (item_id) REFERENCES service_item (id),
      CONSTRAINT fk_service_item_price_person FOREIGN KEY (created_by) REFERENCES person (id)
    ) ${table}`);
    await q.query(`CREATE TABLE part (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      code VARCHAR(32) NOT NULL,
      name VARCHAR(50) NOT NULL,
      spec VARCHAR(100) NOT NULL DEFAULT '',
      unit VARCHAR(10) NOT NULL,
      active TINYINT(1) NOT NULL DEFAULT 1,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_part_code (community_id, code),
      CONSTRAINT fk_part_community FOREIGN KEY (community_id) REFERENCES community (id)
    ) ${table}`);
    await q.query(`CREATE TABLE part_price (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      part_id INT UNSIGNED NOT NULL,
      version INT UNSIGNED NOT NULL,
      price_fen INT UNSIGNED NOT NULL,
      warranty_days SMALLINT UNSIGNED NOT NULL,
      valid_from DATETIME(3) NOT NULL,
      valid_to DATETIME(3) NULL,
      note VARCHAR(200) NOT NULL DEFAULT '',
      created_by INT UNSIGNED NOT NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_part_price_version (part_id, version),
      KEY ix_part_price_valid (part_id, valid_from),
      CONSTRAINT fk_part_price_part FOREIGN KEY (part_id) REFERENCES part (id),
      CONSTRAINT fk_part_price_person FOREIGN KEY (created_by) REFERENCES person (id)
    ) ${table}`);
    // One store per crew (a unique key ignores the NULL crew_id of central stores).
    await q.query(`CREATE TABLE store (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      name VARCHAR(50) NOT NULL,
      crew_id INT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_store_name (community_id, name),
      UNIQUE KEY uq_store_crew (crew_id),
      CONSTRAINT fk_store_community FOREIGN KEY (community_id) REFERENCES community (id),
      CONSTRAINT fk_store_crew FOREIGN KEY (crew_id) REFERENCES crew (id)
    ) ${table}`);
    await q.query(`CREATE TABLE stock (
      store_id INT UNSIGNED NOT NULL,
      part_id INT UNSIGNED NOT NULL,
      quantity INT UNSIGNED NOT NULL DEFAULT 0,
      low_threshold INT UNSIGNED NOT NULL DEFAULT 0,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (store_id, part_id),
      KEY ix_stock_part (part_id),
      CONSTRAINT fk_stock_store FOREIGN KEY (store_id) REFERENCES store (id),
      CONSTRAINT fk_stock_part FOREIGN KEY (part_id) REFERENCES part (id)
    ) ${table}`);
    await q.query(`CREATE TABLE stock_movement (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      store_id INT UNSIGNED NOT NULL,
      part_id INT UNSIGNED NOT NULL,
      kind VARCHAR(10) NOT NULL,
      quantity INT NOT NULL,
      balance_after INT UNSIGNED NOT NULL,
      ticket_id BIGINT UNSIGNED NULL,
      take_id BIGINT UNSIGNED NULL,
      reference VARCHAR(100) NULL,
      person_id INT UNSIGNED NOT NULL,
      at DATETIME(3) NOT NULL,
      note VARCHAR(200) NOT NULL DEFAULT '',
      UNIQUE KEY uq_stock_movement_reference (kind, reference),
      UNIQUE KEY uq_stock_movement_take (take_id),
      KEY ix_stock_movement_store (store_id, id),
      KEY ix_stock_movement_store_part (store_id, part_id, id),
      KEY ix_stock_movement_ticket (ticket_id),
      CONSTRAINT fk_stock_movement_store FOREIGN KEY (store_id) REFERENCES store (id),
      CONSTRAINT fk_stock_movement_part FOREIGN KEY (part_id) REFERENCES part (id),
      CONSTRAINT fk_stock_movement_take FOREIGN KEY (take_id) REFERENCES stock_movement (id),
      CONSTRAINT fk_stock_movement_person FOREIGN KEY (person_id) REFERENCES person (id)
    ) ${table}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['stock_movement', 'stock', 'store', 'part_price', 'part', 'service_item_price', 'service_item']) {
      await q.query(`DROP TABLE ${name}`);
    }
  }
}
