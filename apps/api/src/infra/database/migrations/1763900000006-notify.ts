import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notify1763900000006 implements MigrationInterface {
  name = 'Notify1763900000006';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
