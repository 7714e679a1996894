import { MigrationInterface, QueryRunner } from 'typeorm';

export class Parts1763900000008 implements MigrationInterface {
  name = 'Parts1763900000008';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
