import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A firm of the community. The organisation issue grows this into the full model. */
@Entity('firm')
export class Firm {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'credit_code', type: 'char', length: 18, nullable: true })
  creditCode!: string | null;
}
