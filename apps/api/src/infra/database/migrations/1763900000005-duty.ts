import { MigrationInterface, QueryRunner } from 'typeorm';

export class Duty1763900000005 implements MigrationInterface {
  name = 'Duty1763900000005';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
