import { MigrationInterface, QueryRunner } from 'typeorm';

export class Equipment1763900000007 implements MigrationInterface {
  name = 'Equipment1763900000007';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
