import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A request category (平安建设 / 助企服务 / 设备故障 …); will carry its routing and SLA policy. */
@Entity('category')
export class Category {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;
}
