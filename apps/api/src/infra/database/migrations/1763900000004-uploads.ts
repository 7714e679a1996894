import { MigrationInterface, QueryRunner } from 'typeorm';

export class Uploads1763900000004 implements MigrationInterface {
  name = 'Uploads1763900000004';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
