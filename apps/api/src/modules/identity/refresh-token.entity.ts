import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A single-use refresh token, stored as its sha256. All tokens descended from one login share
 * a family: presenting a used one again (a stolen copy) revokes the whole family.
 */
@Entity('refresh_token')
export class RefreshToken {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: number;

  @Column({ name: 'person_id', type: 'int', unsigned: true })
  personId!: number;

  @Column({ name: 'role_assignment_id', type: 'int', unsigned: true, nullable: true })
  roleAssignmentId!: number | null;

  @Column({ type: 'char', length: 32 })
  family!: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'datetime', precision: 3, nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
