import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The role a ticket was raised in. A worker's personal request (labour dispute, hardship) stays
 * hidden from their firm's contacts: visibility filters on this, not on who the person is today.
 */
export class TicketRequesterRole1763900000002 implements MigrationInterface {
  name = 'TicketRequesterRole1763900000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE ticket ADD COLUMN requester_role VARCHAR(24) NOT NULL DEFAULT 'firm_contact' AFTER requester_id");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE ticket DROP COLUMN requester_role');
  }
}
