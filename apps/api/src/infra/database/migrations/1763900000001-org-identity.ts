import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organisation (community → grid → micro-grid → firm, departments, categories with their
 * SLA policy, crews), people with scoped roles, refresh tokens and grid change requests.
 *
 * A firm's grid is not a column of the firm: `firm_placement` rows with effective dates are
 * the truth, so a firm moved next month is still in its old grid today, and history survives
 * splits and merges. Tickets copy the grid they were raised in.
 */
export class OrgIdentity1763900000001 implements MigrationInterface {
  name = 'OrgIdentity1763900000001';

  async up(q: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE community (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      code CHAR(12) NOT NULL,
      name VARCHAR(100) NOT NULL,
      class VARCHAR(16) NOT NULL DEFAULT 'general',
      firm_band_min SMALLINT UNSIGNED NOT NULL DEFAULT 20,
      firm_band_max SMALLINT UNSIGNED NOT NULL DEFAULT 50,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_community_code (code)
    ) ${table}`);
    await q.query(`CREATE TABLE grid (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      code CHAR(15) NOT NULL,
      name VARCHAR(100) NOT NULL,
      status VARCHAR(12) NOT NULL DEFAULT 'active',
      created_at DATETIME(3) NOT NULL,
      withdrawn_at DATETIME(3) NULL,
      UNIQUE KEY uq_grid_code (code),
      KEY ix_grid_community (community_id, status),
      CONSTRAINT fk_grid_community FOREIGN KEY (community_id) REFERENCES community (id)
    ) ${table}`);
    await q.query(`CREATE TABLE microgrid (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      grid_id INT UNSIGNED NOT NULL,
      code CHAR(17) NOT NULL,
      name VARCHAR(100) NOT NULL,
      kind VARCHAR(16) NOT NULL,
      status VARCHAR(12) NOT NULL DEFAULT 'active',
      created_at DATETIME(3) NOT NULL,
      withdrawn_at DATETIME(3) NULL,
      UNIQUE KEY uq_microgrid_code (code),
      KEY ix_microgrid_grid (grid_id, status),
      CONSTRAINT fk_microgrid_grid FOREIGN KEY (grid_id) REFERENCES grid (id)
    ) ${table}`);
    await q.query(`CREATE TABLE department (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      code VARCHAR(32) NOT NULL,
      name VARCHAR(50) NOT NULL,
      UNIQUE KEY uq_department_code (community_id, code),
      CONSTRAINT fk_department_community FOREIGN KEY (community_id) REFERENCES community (id)
    ) ${table}`);
    await q.query(`CREATE TABLE crew (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      name VARCHAR(50) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      CONSTRAINT fk_crew_community FOREIGN KEY (community_id) REFERENCES community (id)
    ) ${table}`);

    // Firms and categories of the walking skeleton, if any, join a placeholder community.
    const [{ n }] = await q.query('SELECT COUNT(*) AS n FROM firm');
    const [{ c }] = await q.query('SELECT COUNT(*) AS c FROM category');
    let placeholder: { community: number; grid: number; microgrid: number } | null = null;
    if (Number(n) + Number(c) > 0) {
      await q.query(
        "INSERT INTO community (code, name, class, created_at) VALUES ('000000000000', '待整理社区', 'general', UTC_TIMESTAMP(3))",
      );
      const [{ id: community }] = await q.query('SELECT LAST_INSERT_ID() AS id');
      await q.query(
        "INSERT INTO grid (community_id, code, name, created_at) VALUES (?, '000000000000001', '待整理网格', UTC_TIMESTAMP(3))",
        [community],
      );
      const [{ id: grid }] = await q.query('SELECT LAST_INSERT_ID() AS id');
      await q.query(
        "INSERT INTO microgrid (grid_id, code, name, kind, created_at) VALUES (?, '00000000000000101', '待整理微网格', 'block', UTC_TIMESTAMP(3))",
        [grid],
      );
      const [{ id: microgrid }] = await q.query('SELECT LAST_INSERT_ID() AS id');
      placeholder = { community: Number(community), grid: Number(grid), microgrid: Number(microgrid) };
    }

    await q.query(`ALTER TABLE firm
      ADD COLUMN community_id INT UNSIGNED NULL AFTER id,
      ADD COLUMN scale VARCHAR(8) NOT NULL DEFAULT 'below',
      ADD COLUMN industry VARCHAR(50) NOT NULL DEFAULT '',
      ADD COLUMN address VARCHAR(200) NOT NULL DEFAULT '',
      ADD COLUMN latitude DECIMAL(9,6) NULL,
      ADD COLUMN longitude DECIMAL(9,6) NULL`);
    await q.query(`CREATE TABLE firm_placement (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      firm_id INT UNSIGNED NOT NULL,
      grid_id INT UNSIGNED NOT NULL,
      microgrid_id INT UNSIGNED NOT NULL,
      effective_from DATETIME(3) NOT NULL,
      effective_to DATETIME(3) NULL,
      reason VARCHAR(200) NOT NULL DEFAULT '',
      KEY ix_firm_placement_firm (firm_id, effective_from),
      KEY ix_firm_placement_grid (grid_id, effective_from),
      KEY ix_firm_placement_microgrid (microgrid_id, effective_from),
      CONSTRAINT fk_firm_placement_firm FOREIGN KEY (firm_id) REFERENCES firm (id),
      CONSTRAINT fk_firm_placement_grid FOREIGN KEY (grid_id) REFERENCES grid (id),
      CONSTRAINT fk_firm_placement_microgrid FOREIGN KEY (microgrid_id) REFERENCES microgrid (id)
    ) ${table}`);
    await q.query(`ALTER TABLE category
      ADD COLUMN community_id INT UNSIGNED NULL AFTER id,
      ADD COLUMN \`group\` VARCHAR(16) NOT NULL DEFAULT 'business',
      ADD COLUMN department_id INT UNSIGNED NULL,
      ADD COLUMN ack_minutes INT UNSIGNED NOT NULL DEFAULT 30,
      ADD COLUMN escalate_minutes INT UNSIGNED NOT NULL DEFAULT 30,
      ADD COLUMN resolve_minutes INT UNSIGNED NOT NULL DEFAULT 1440,
      ADD COLUMN confirm_hours INT UNSIGNED NOT NULL DEFAULT 72,
      ADD COLUMN calendar VARCHAR(16) NOT NULL DEFAULT 'always_open',
      ADD COLUMN requires_on_site TINYINT(1) NOT NULL DEFAULT 0,
      DROP INDEX uq_category_code`);
    if (placeholder) {
      await q.query('UPDATE firm SET community_id = ?', [placeholder.community]);
      await q.query('UPDATE category SET community_id = ?', [placeholder.community]);
      await q.query(
        'INSERT INTO firm_placement (firm_id, grid_id, microgrid_id, effective_from) SELECT id, ?, ?, created_at FROM firm',
        [placeholder.grid, placeholder.microgrid],
      );
    }
    await q.query(`ALTER TABLE firm
      MODIFY community_id INT UNSIGNED NOT NULL,
      ADD CONSTRAINT fk_firm_community FOREIGN KEY (community_id) REFERENCES community (id)`);
    await q.query(`ALTER TABLE category
      MODIFY community_id INT UNSIGNED NOT NULL,
      ADD UNIQUE KEY uq_category_code (community_id, code),
      ADD CONSTRAINT fk_category_community FOREIGN KEY (community_id) REFERENCES community (id),
      ADD CONSTRAINT fk_category_department FOREIGN KEY (department_id) REFERENCES department (id)`);

    await q.query(`CREATE TABLE person (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(50) NOT NULL,
      phone CHAR(11) NULL,
      openid VARCHAR(64) NULL,
      unionid VARCHAR(64) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_person_phone (phone),
      UNIQUE KEY uq_person_openid (openid)
    ) ${table}`);
    await q.query(`CREATE TABLE role_assignment (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      person_id INT UNSIGNED NOT NULL,
      role VARCHAR(24) NOT NULL,
      community_id INT UNSIGNED NOT NULL,
      grid_id INT UNSIGNED NULL,
      microgrid_id INT UNSIGNED NULL,
      firm_id INT UNSIGNED NULL,
      department_id INT UNSIGNED NULL,
      crew_id INT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL,
      revoked_at DATETIME(3) NULL,
      KEY ix_role_assignment_person (person_id, revoked_at),
      KEY ix_role_assignment_grid (grid_id, role),
      KEY ix_role_assignment_community (community_id, role),
      CONSTRAINT fk_role_assignment_person FOREIGN KEY (person_id) REFERENCES person (id),
      CONSTRAINT fk_role_assignment_community FOREIGN KEY (community_id) REFERENCES community (id),
      CONSTRAINT fk_role_assignment_grid FOREIGN KEY (grid_id) REFERENCES grid (id),
      CONSTRAINT fk_role_assignment_microgrid FOREIGN KEY (microgrid_id) REFERENCES microgrid (id),
      CONSTRAINT fk_role_assignment_firm FOREIGN KEY (firm_id) REFERENCES firm (id),
      CONSTRAINT fk_role_assignment_department FOREIGN KEY (department_id) REFERENCES department (id),
      CONSTRAINT fk_role_assignment_crew FOREIGN KEY (crew_id) REFERENCES crew (id)
    ) ${table}`);
    await q.query(`CREATE TABLE refresh_token (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      person_id INT UNSIGNED NOT NULL,
      role_assignment_id INT UNSIGNED NULL,
      family CHAR(32) NOT NULL,
      token_hash CHAR(64) NOT NULL,
      expires_at DATETIME(3) NOT NULL,
      used_at DATETIME(3) NULL,
      revoked_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_refresh_token_hash (token_hash),
      KEY ix_refresh_token_family (family),
      CONSTRAINT fk_refresh_token_person FOREIGN KEY (person_id) REFERENCES person (id)
    ) ${table}`);
    await q.query(`CREATE TABLE grid_change_request (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      community_id INT UNSIGNED NOT NULL,
      kind VARCHAR(12) NOT NULL,
      status VARCHAR(12) NOT NULL DEFAULT 'pending',
      payload JSON NOT NULL,
      reason VARCHAR(500) NOT NULL DEFAULT '',
      effective_from DATETIME(3) NOT NULL,
      requested_by INT UNSIGNED NOT NULL,
      decided_by INT UNSIGNED NULL,
      decided_at DATETIME(3) NULL,
      decision_note VARCHAR(500) NOT NULL DEFAULT '',
      created_at DATETIME(3) NOT NULL,
      KEY ix_grid_change_community (community_id, status),
      CONSTRAINT fk_grid_change_community FOREIGN KEY (community_id) REFERENCES community (id),
      CONSTRAINT fk_grid_change_requested_by FOREIGN KEY (requested_by) REFERENCES person (id),
      CONSTRAINT fk_grid_change_decided_by FOREIGN KEY (decided_by) REFERENCES person (id)
    ) ${table}`);

    // A ticket keeps the community, grid and micro-grid it was raised in, and who raised it.
    await q.query(`ALTER TABLE ticket
      ADD COLUMN community_id INT UNSIGNED NULL AFTER number,
      ADD COLUMN grid_id INT UNSIGNED NULL AFTER community_id,
      ADD COLUMN microgrid_id INT UNSIGNED NULL AFTER grid_id,
      ADD COLUMN requester_id INT UNSIGNED NULL AFTER category_id,
      ADD KEY ix_ticket_grid (grid_id, status),
      ADD KEY ix_ticket_community (community_id, status),
      ADD CONSTRAINT fk_ticket_requester FOREIGN KEY (requester_id) REFERENCES person (id)`);
    if (placeholder) {
      await q.query('UPDATE ticket SET community_id = ?, grid_id = ?, microgrid_id = ?', [
        placeholder.community,
        placeholder.grid,
        placeholder.microgrid,
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket DROP FOREIGN KEY fk_ticket_requester, DROP KEY ix_ticket_grid,
      DROP KEY ix_ticket_community, DROP COLUMN community_id, DROP COLUMN grid_id, DROP COLUMN microgrid_id,
      DROP COLUMN requester_id`);
    for (const t of ['grid_change_request', 'refresh_token', 'role_assignment', 'person', 'firm_placement']) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`ALTER TABLE category DROP FOREIGN KEY fk_category_community, DROP FOREIGN KEY fk_category_department,
      DROP INDEX uq_category_code, DROP COLUMN community_id, DROP COLUMN \`group\`, DROP COLUMN department_id,
      DROP COLUMN ack_minutes, DROP COLUMN escalate_minutes, DROP COLUMN resolve_minutes, DROP COLUMN confirm_hours,
      DROP COLUMN calendar, DROP COLUMN requires_on_site, ADD UNIQUE KEY uq_category_code (code)`);
    await q.query(`ALTER TABLE firm DROP FOREIGN KEY fk_firm_community, DROP COLUMN community_id, DROP COLUMN scale,
      DROP COLUMN industry, DROP COLUMN address, DROP COLUMN latitude, DROP COLUMN longitude`);
    for (const t of ['crew', 'department', 'microgrid', 'grid', 'community']) await q.query(`DROP TABLE ${t}`);
  }
}
