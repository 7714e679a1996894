import { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketPipeline1763900000003 implements MigrationInterface {
  name = 'TicketPipeline1763900000003';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
