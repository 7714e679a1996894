import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AttachmentView,
  ErrorCode,
  MAX_IMAGES_PER_ACTION,
  MAX_VOICE_NOTES_PER_ACTION,
  UNATTACHED_UPLOAD_TTL_HOURS,
  UPLOAD_KIND_LABEL,
  UploadFields,
  UploadKind,
} from '@qihu/contracts';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { In, IsNull, MoreThan } from 'typeorm';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { Tx, TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { ByteRange, OBJECT_STORAGE, ObjectStorage, StoredObjectMissing } from '../../infra/storage/object-storage';
import { parseByteRange } from './byte-range';
import { FileLinks } from './file-links';
import { Upload } from './upload.entity';
import { detectUploadType } from './upload-type';

/** The file part of a multipart request, as multer's memory storage hands it over. */
export interface ReceivedFile {
  buffer: Buffer;
  size: number;
}

/** A file ready to be streamed to whoever holds a valid link. */
export interface LinkedFile {
  mime: string;
  /** Size of the whole file. */
  size: number;
  /** The part being sent: null for the whole file. */
  range: ByteRange | null;
  body: Readable;
  /** How long a client may keep it: until the link expires. */
  maxAgeSeconds: number;
}

const UPLOAD_ID = /^[A-Za-z0-9_-]{22}$/;
/** A retry of the same bytes within this window answers with the upload already made. */
const RETRY_WINDOW_MS = 15 * 60_000;
/** Unattached uploads one person may hold at once: bounds what an abandoned form or a script can store. */
export const MAX_PENDING_UPLOADS_PER_PERSON = 60;
const UNATTACHED_TTL_MS = UNATTACHED_UPLOAD_TTL_HOURS * 3_600_000;
/** Rows deleted per clean-up transaction; small enough to hold few locks for long. */
const PURGE_BATCH = 200;

const MiB = 1024 * 1024;
/** 10 MB, 5 MB, 64 KB: how a limit reads in a message. */
export function formatBytes(n: number): string {
  return n >= MiB ? `${Number((n / MiB).toFixed(1))} MB` : `${Number((n / 1024).toFixed(1))} KB`;
}

/**
 * Photos and voice notes: received and checked (type by magic bytes, size per kind), stored
 * under a random key, handed to ticket actions by id, and served through signed links.
 */
@Injectable()
export class UploadsService {
  private readonly logger = new Logger(UploadsService.name);

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly transactions: TransactionRunner,
    private readonly links: FileLinks,
    private readonly clock: Clock,
  ) {}

  /** The largest file any kind may be: what the multipart parser lets through at most. */
  get largestAllowedBytes(): number {
    return Math.max(this.config.storage.maxImageBytes, this.config.storage.maxVoiceBytes);
  }

  /** Both limits, for a file too large to even be read to the end. */
  limitsMessage(): string {
    const { maxImageBytes, maxVoiceBytes } = this.config.storage;
    return `文件太大：图片不能超过 ${formatBytes(maxImageBytes)}，语音不能超过 ${formatBytes(maxVoiceBytes)}`;
  }

  async upload(personId: number, file: ReceivedFile | undefined, fields: UploadFields): Promise<AttachmentView> {
    if (!file || file.size === 0) {
      throw new AppError(ErrorCode.ValidationFailed, '请选择要上传的文件', { fields: [{ field: 'file', reason: '不能为空' }] });
    }
    const type = detectUploadType(file.buffer);
    if (!type) throw new AppError(ErrorCode.UploadRejected);
    const limit = type.kind === UploadKind.Image ? this.config.storage.maxImageBytes : this.config.storage.maxVoiceBytes;
    if (file.size > limit) {
      throw new AppError(ErrorCode.UploadTooLarge, `${UPLOAD_KIND_LABEL[type.kind]}不能超过 ${formatBytes(limit)}`, { limitBytes: limit });
    }
    if (fields.durationMs !== undefined && type.kind !== UploadKind.Voice) {
      throw new AppError(ErrorCode.ValidationFailed, '只有语音可以填写时长', { fields: [{ field: 'durationMs', reason: '图片没有时长' }] });
    }

    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const now = this.clock.now();
    const repo = this.transactions.manager.getRepository(Upload);
    // A weak network retries the same upload: answer with the one already stored.
    const retried = await repo.findOne({
      where: { personId, ticketId: IsNull(), sha256, createdAt: MoreThan(new Date(now.getTime() - RETRY_WINDOW_MS)) },
      order: { createdAt: 'DESC' },
    });
    if (retried) return this.view(retried, now);
    if ((await repo.count({ where: { personId, ticketId: IsNull() } })) >= MAX_PENDING_UPLOADS_PER_PERSON) {
      throw new AppError(ErrorCode.RateLimited, '待提交的附件太多，请先提交诉求或稍后再试');
    }

    const id = randomBytes(16).toString('base64url');
    // Two characters of fan-out keep any one directory of the local store small.
    const storageKey = `${id.slice(0, 2)}/${id}`;
    const upload = repo.create({
      id,
      personId,
      kind: type.kind,
      mime: type.mime,
      size: file.size,
      sha256,
      storageKey,
      durationMs: fields.durationMs ?? null,
      ticketId: null,
      eventId: null,
      ordinal: null,
      createdAt: now,
      attachedAt: null,
    });
    // File first, row second: a crash between them leaves an unreferenced file, never a row
    // (which a retry could be answered with) pointing at nothing.
    await this.storage.put(storageKey, file.buffer, type.mime);
    try {
      await repo.insert(upload);
    } catch (err) {
      await this.storage.delete(storageKey).catch((e) => this.logger.warn({ err: e, storageKey }, 'stored file of a failed upload left behind'));
      throw err;
    }
    return this.view(upload, now);
  }

  /** The caller's own upload; anybody else's, or an unknown id, is 404. */
  async preview(personId: number, id: string): Promise<AttachmentView> {
    const upload = UPLOAD_ID.test(id) ? await this.transactions.manager.findOneBy(Upload, { id, personId }) : null;
    if (!upload) throw new AppError(ErrorCode.NotFound, '附件不存在');
    return this.view(upload, this.clock.now());
  }

  /**
   * Attaches the person's own, not yet attached uploads to a ticket (and the event that added them)
   * in the caller's transaction. Unknown, foreign or already attached ids: AppError UploadNotFound.
   * An id given twice counts once. At most 9 images and 1 voice note per call. The event may
   * still be pending in the transaction: its id is needed, so the change's rows go out first.
   */
  async attach(tx: Tx, personId: number, uploadIds: string[], target: { ticketId: number; event: { readonly id: number } }): Promise<AttachmentView[]> {
    const ids = [...new Set(uploadIds)];
    if (ids.length === 0) return [];
    const tooMany = () =>
      new AppError(ErrorCode.ValidationFailed, `一次最多添加 ${MAX_IMAGES_PER_ACTION} 张图片和 ${MAX_VOICE_NOTES_PER_ACTION} 条语音`);
    if (ids.length > MAX_IMAGES_PER_ACTION + MAX_VOICE_NOTES_PER_ACTION) throw tooMany();

    // Locked until the caller commits: a concurrent attach or the clean-up waits, then sees them taken.
    const rows = await tx.manager
      .createQueryBuilder(Upload, 'u')
      .setLock('pessimistic_write')
      .where({ id: In(ids) })
      .getMany();
    const usable = new Map(rows.filter((u) => u.personId === personId && u.ticketId === null).map((u) => [u.id, u]));
    const unusable = ids.filter((id) => !usable.has(id));
    if (unusable.length > 0) throw new AppError(ErrorCode.UploadNotFound, undefined, { uploadIds: unusable });
    const images = rows.filter((u) => u.kind === UploadKind.Image).length;
    if (images > MAX_IMAGES_PER_ACTION || ids.length - images > MAX_VOICE_NOTES_PER_ACTION) throw tooMany();

    await tx.flush();
    const now = this.clock.now();
    const attached: Upload[] = [];
    for (const [ordinal, id] of ids.entries()) {
      const change = { ticketId: target.ticketId, eventId: target.event.id, ordinal, attachedAt: now };
      await tx.manager.update(Upload, { id }, change);
      attached.push({ ...usable.get(id)!, ...change });
    }
    return attached.map((u) => this.view(u, now));
  }

  /** Every attachment of a ticket with fresh signed URLs, oldest first (in each action, in the order chosen). */
  async listForTicket(ticketId: number): Promise<AttachmentView[]> {
    const rows = await this.transactions.manager.find(Upload, {
      where: { ticketId },
      order: { attachedAt: 'ASC', eventId: 'ASC', ordinal: 'ASC' },
    });
    const now = this.clock.now();
    return rows.map((u) => this.view(u, now));
  }

  /**
   * Opens the file a signed link points to. A forged or altered link and an expired one are
   * 403 (the message says which); a genuine link to a file since deleted is 404.
   */
  async openLinked(id: string, exp: unknown, sig: unknown, rangeHeader: string | undefined): Promise<LinkedFile> {
    const now = this.clock.now();
    const link = this.links.check(id, exp, sig, now);
    if (!link.ok) {
      throw new AppError(
        ErrorCode.Forbidden,
        link.reason === 'expired' ? '文件链接已过期，请返回页面刷新后重试' : '文件链接无效',
      );
    }
    const upload = await this.transactions.manager.findOneBy(Upload, { id });
    if (!upload) throw new AppError(ErrorCode.NotFound, '文件不存在或已被删除');
    const range = parseByteRange(rangeHeader, upload.size);
    let body: Readable;
    try {
      body = await this.storage.get(upload.storageKey, range ?? undefined);
    } catch (err) {
      if (err instanceof StoredObjectMissing) {
        this.logger.error({ uploadId: id, storageKey: upload.storageKey }, 'upload row without its stored file');
        throw new AppError(ErrorCode.NotFound, '文件不存在或已被删除');
      }
      throw err;
    }
    return {
      mime: upload.mime,
      size: upload.size,
      range,
      body,
      maxAgeSeconds: Math.max(0, link.expiresAt - Math.floor(now.getTime() / 1000)),
    };
  }

  /**
   * Deletes uploads nobody attached within a day: rows first (locked, so an attach racing with
   * it either wins or finds nothing), stored files once the rows are gone. Safe to run in
   * several processes at once. Returns how many were deleted.
   */
  async purgeUnattached(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - UNATTACHED_TTL_MS);
    let purged = 0;
    for (;;) {
      const keys = await this.transactions.run(async (tx) => {
        const expired = await tx.manager
          .createQueryBuilder(Upload, 'u')
          .select(['u.id', 'u.storageKey'])
          .where('u.ticket_id IS NULL AND u.created_at < :cutoff', { cutoff })
          .orderBy('u.created_at', 'ASC')
          .limit(PURGE_BATCH)
          .setLock('pessimistic_write')
          .getMany();
        if (expired.length > 0) await tx.manager.delete(Upload, { id: In(expired.map((u) => u.id)) });
        return expired.map((u) => u.storageKey);
      });
      for (const key of keys) {
        await this.storage.delete(key).catch((err) => this.logger.warn({ err, storageKey: key }, 'stored file of a purged upload left behind'));
      }
      purged += keys.length;
      if (keys.length < PURGE_BATCH) return purged;
    }
  }

  private view(u: Upload, now: Date): AttachmentView {
    return {
      id: u.id,
      kind: u.kind,
      mime: u.mime,
      size: u.size,
      durationMs: u.durationMs,
      url: this.links.url(u.id, now),
      eventId: u.eventId,
      createdAt: u.createdAt.toISOString(),
    };
  }
}
