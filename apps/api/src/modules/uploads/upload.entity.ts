import { UploadKind } from '@qihu/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A photo or voice note somebody uploaded. It belongs to its uploader until a ticket action
 * attaches it (ticket and event set, once); unattached ones are deleted after a day.
 */
@Entity('upload')
export class Upload {
  /** 22 random base64url characters (128 bits): the link can be neither guessed nor enumerated. */
  @PrimaryColumn({ type: 'char', length: 22, charset: 'ascii', collation: 'ascii_bin' })
  id!: string;

  @Column({ name: 'person_id', type: 'int', unsigned: true })
  personId!: number;

  @Column({ type: 'varchar', length: 8 })
  kind!: UploadKind;

  /** Read from the bytes, never taken from the client. */
  @Column({ type: 'varchar', length: 32 })
  mime!: string;

  @Column({ type: 'int', unsigned: true })
  size!: number;

  @Column({ type: 'char', length: 64, charset: 'ascii', collation: 'ascii_bin' })
  sha256!: string;

  @Column({ name: 'storage_key', type: 'varchar', length: 128, charset: 'ascii', collation: 'ascii_bin' })
  storageKey!: string;

  @Column({ name: 'duration_ms', type: 'int', unsigned: true, nullable: true })
  durationMs!: number | null;

  @Column({ name: 'ticket_id', type: 'bigint', unsigned: true, nullable: true })
  ticketId!: number | null;

  @Column({ name: 'event_id', type: 'bigint', unsigned: true, nullable: true })
  eventId!: number | null;

  /** Place among the files one action attached, so a ticket shows them in the order chosen. */
  @Column({ type: 'tinyint', unsigned: true, nullable: true })
  ordinal!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'attached_at', type: 'datetime', precision: 3, nullable: true })
  attachedAt!: Date | null;
}
