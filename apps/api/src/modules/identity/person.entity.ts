import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person: staff invited by phone, or a firm contact/worker who logged in with WeChat. */
@Entity('person')
export class Person {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ type: 'char', length: 11, nullable: true })
  phone!: string | null;

  /** The mini-program openid, set at first WeChat login. The session_key is never stored. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  openid!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  unionid!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
