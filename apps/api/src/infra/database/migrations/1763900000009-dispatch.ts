import { MigrationInterface, QueryRunner } from 'typeorm';

export class Dispatch1763900000009 implements MigrationInterface {
  name = 'Dispatch1763900000009';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
