import { AttachmentView, ErrorCode, Role, TicketStatus, UploadKind } from '@qihu/contracts';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { IsNull } from 'typeorm';
import { FakeS3, startFakeS3 } from '../../../test/fakes/s3-server';
import { Clock } from '../src/infra/clock';
import { TransactionRunner } from '../src/infra/database/transaction';
import { AppError } from '../src/infra/http/app-error';
import { ACCEPTED, REFUSED } from '../src/modules/uploads/__tests__/samples';
import { Upload } from '../src/modules/uploads/upload.entity';
import { MAX_PENDING_UPLOADS_PER_PERSON, UploadsService } from '../src/modules/uploads/uploads.service';
import { Actor, startTestApp, TestApp } from './harness';

const IMAGE_LIMIT = 64 * 1024;
const VOICE_LIMIT = 32 * 1024;
const URL_TTL_S = 3600;
const DAY_MS = 86_400_000;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under a directory, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

/** A valid file of `kind` padded to exactly `size` bytes (trailing bytes do not change the type). */
function padded(bytes: Buffer, size: number): Buffer {
  return Buffer.concat([bytes, Buffer.alloc(size - bytes.length, 0x20)]);
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('uploads (e2e)', () => {
  let t: TestApp;
  let dir: string;
  let contact: Actor;
  let member: Actor;
  let uploads: UploadsService;
  let transactions: TransactionRunner;
  let ticketSeq = 0;
  const http = () => request(t.app.getHttpServer());

  const upload = (as: Actor, bytes: Buffer, filename = 'IMG_0001.jpg', fields: Record<string, string> = {}) => {
    const req = http().post('/api/v1/uploads').set('Authorization', as.auth);
    for (const [name, value] of Object.entries(fields)) req.field(name, value);
    // The client claims a JPEG whatever it sends: only the bytes may decide.
    return req.attach('file', bytes, { filename, contentType: 'image/jpeg' });
  };
  const uploaded = async (as: Actor, bytes: Buffer, fields: Record<string, string> = {}): Promise<AttachmentView> =>
    (await upload(as, bytes, 'IMG_0001.jpg', fields).expect(201)).body;
  const fetchFile = (url: string) =>
    http()
      .get(url)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const uploadRows = () => t.db.getRepository(Upload).find({ order: { createdAt: 'ASC' } });

  /** A ticket and its first event, written as the ticket module would (only the columns uploads rely on). */
  async function ticketWithEvent(): Promise<{ ticketId: number; eventId: number }> {
    const number = `QH-UPLOADS-${++ticketSeq}`;
    const ticket = await t.db.query(
      `INSERT INTO ticket (number, firm_id, category_id, status, created_at, updated_at)
       VALUES (?, (SELECT MIN(id) FROM firm), (SELECT MIN(id) FROM category), ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))`,
      [number, TicketStatus.Submitted],
    );
    const event = await t.db.query(
      "INSERT INTO ticket_event (ticket_id, type, to_status, level, actor, at) VALUES (?, 'created', ?, 0, 'firm_contact', UTC_TIMESTAMP(3))",
      [ticket.insertId, TicketStatus.Submitted],
    );
    return { ticketId: Number(ticket.insertId), eventId: Number(event.insertId) };
  }

  const attach = (personId: number, ids: string[], target: { ticketId: number; eventId: number }) =>
    transactions.run((tx) => uploads.attach(tx, personId, ids, { ticketId: target.ticketId, event: { id: target.eventId } }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qihu-uploads-e2e-'));
    t = await startTestApp({
      UPLOAD_DIR: dir,
      UPLOAD_MAX_IMAGE_BYTES: String(IMAGE_LIMIT),
      UPLOAD_MAX_VOICE_BYTES: String(VOICE_LIMIT),
      FILE_URL_TTL_SECONDS: String(URL_TTL_S),
    });
    contact = await t.as(Role.FirmContact);
    member = await t.as(Role.GridMember);
    expect(member.personId).not.toBe(contact.personId);
    uploads = t.app.get(UploadsService);
    transactions = t.app.get(TransactionRunner);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('POST /api/v1/uploads', () => {
    it.each(Object.entries(ACCEPTED))('stores %s under a random key, its type read from the bytes', async (_name, sample) => {
      const fields: Record<string, string> = sample.kind === UploadKind.Voice ? { durationMs: '4200' } : {};
      const res = await upload(contact, sample.bytes, '../../evil name.jpg', fields).expect(201);
      const view: AttachmentView = res.body;
      expect(view).toEqual({
        id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        kind: sample.kind,
        mime: sample.mime,
        size: sample.bytes.length,
        durationMs: sample.kind === UploadKind.Voice ? 4200 : null,
        url: expect.stringMatching(new RegExp(`^/api/v1/files/${view.id}\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`)),
        eventId: null,
        createdAt: expect.any(String),
      });
      const row = await t.db.getRepository(Upload).findOneByOrFail({ id: view.id });
      expect(row).toMatchObject({ personId: contact.personId, sha256: sha256(sample.bytes), storageKey: `${view.id.slice(0, 2)}/${view.id}`, ticketId: null });
      // The client's file name is used nowhere: the bytes sit under the generated key only.
      expect(await readFile(join(dir, row.storageKey))).toEqual(sample.bytes);
      expect((await filesUnder(dir)).some((f) => f.includes('evil'))).toBe(false);
    });

    it.each(Object.entries(REFUSED))('refuses %s named .jpg with 422 UPLOAD_REJECTED, storing nothing', async (_name, bytes) => {
      const rowsBefore = (await uploadRows()).length;
      const filesBefore = await filesUnder(dir);
      const res = await upload(contact, bytes, 'photo.jpg').expect(422);
      expect(res.body).toEqual({ code: ErrorCode.UploadRejected, message: '文件类型不支持：图片请用 JPEG、PNG 或 WebP，语音请用 AAC、MP3 或 M4A' });
      expect((await uploadRows()).length).toBe(rowsBefore);
      expect(await filesUnder(dir)).toEqual(filesBefore);
    });

    it('caps each kind at its own limit with 413 UPLOAD_TOO_LARGE, storing nothing', async () => {
      const rowsBefore = (await uploadRows()).length;
      const filesBefore = await filesUnder(dir);
      const image = await upload(contact, padded(ACCEPTED.png.bytes, IMAGE_LIMIT + 1)).expect(413);
      expect(image.body).toEqual({ code: ErrorCode.UploadTooLarge, message: '图片不能超过 64 KB', details: { limitBytes: IMAGE_LIMIT } });
      const voice = await upload(contact, padded(ACCEPTED['mp3 with an ID3 tag'].bytes, VOICE_LIMIT + 1)).expect(413);
      expect(voice.body).toEqual({ code: ErrorCode.UploadTooLarge, message: '语音不能超过 32 KB', details: { limitBytes: VOICE_LIMIT } });
      // Past every limit the parser stops reading and names both.
      const huge = await upload(contact, padded(ACCEPTED.jpeg.bytes, 4 * IMAGE_LIMIT)).expect(413);
      expect(huge.body).toEqual({ code: ErrorCode.UploadTooLarge, message: '文件太大：图片不能超过 64 KB，语音不能超过 32 KB' });
      expect((await uploadRows()).length).toBe(rowsBefore);
      expect(await filesUnder(dir)).toEqual(filesBefore);

      const atTheLimit = await uploaded(contact, padded(ACCEPTED.png.bytes, IMAGE_LIMIT));
      expect(atTheLimit.size).toBe(IMAGE_LIMIT);
    });

    it('answers 400 VALIDATION_FAILED for a missing or empty file and for bad fields', async () => {
      const none = await http().post('/api/v1/uploads').set('Authorization', contact.auth).field('durationMs', '100').expect(400);
      expect(none.body).toMatchObject({ code: ErrorCode.ValidationFailed, message: '请选择要上传的文件' });
      const json = await http().post('/api/v1/uploads').set('Authorization', contact.auth).send({}).expect(400);
      expect(json.body.code).toBe(ErrorCode.ValidationFailed);
      const empty = await upload(contact, Buffer.alloc(0)).expect(400);
      expect(empty.body).toMatchObject({ code: ErrorCode.ValidationFailed, message: '请选择要上传的文件' });
      const imageDuration = await upload(contact, ACCEPTED.png.bytes, 'a.png', { durationMs: '1000' }).expect(400);
      expect(imageDuration.body).toMatchObject({ code: ErrorCode.ValidationFailed, message: '只有语音可以填写时长' });
      for (const durationMs of ['abc', '0', '600001']) {
        const bad = await upload(contact, ACCEPTED.adts.bytes, 'a.aac', { durationMs }).expect(400);
        expect(bad.body.details.fields[0].field).toBe('durationMs');
      }
      const unknown = await upload(contact, ACCEPTED.png.bytes, 'a.png', { owner: 'someone-else' }).expect(400);
      expect(unknown.body.details.fields).toEqual([{ field: 'owner', reason: '不允许提交此字段' }]);
      const two = await http()
        .post('/api/v1/uploads')
        .set('Authorization', contact.auth)
        .attach('file', ACCEPTED.png.bytes, 'a.png')
        .attach('file', ACCEPTED.jpeg.bytes, 'b.jpg')
        .expect(400);
      expect(two.body.message).toBe('一次只能上传一个文件，字段名为 file');
      const otherField = await http().post('/api/v1/uploads').set('Authorization', contact.auth).attach('photo', ACCEPTED.png.bytes, 'a.png').expect(400);
      expect(otherField.body.code).toBe(ErrorCode.ValidationFailed);
    });

    it('needs a login', async () => {
      const res = await http().post('/api/v1/uploads').attach('file', ACCEPTED.png.bytes, 'a.png').expect(401);
      expect(res.body.code).toBe(ErrorCode.Unauthenticated);
    });

    it('answers a retried upload of the same bytes with the same unattached upload, stored once', async () => {
      const bytes = padded(ACCEPTED.webp.bytes, 300);
      const first = await uploaded(contact, bytes);
      const filesAfterFirst = await filesUnder(dir);
      const retry = await uploaded(contact, bytes);
      expect(retry.id).toBe(first.id);
      expect(await filesUnder(dir)).toEqual(filesAfterFirst);
      expect((await uploadRows()).filter((u) => u.sha256 === sha256(bytes))).toHaveLength(1);
      // Somebody else's identical bytes are their own upload.
      expect((await uploaded(member, bytes)).id).not.toBe(first.id);
      // Once attached, the same bytes make a new upload.
      await attach(contact.personId, [first.id], await ticketWithEvent());
      expect((await uploaded(contact, bytes)).id).not.toBe(first.id);
    });

    it(`refuses more than ${MAX_PENDING_UPLOADS_PER_PERSON} unattached uploads per person with 429`, async () => {
      const pending = await t.db.getRepository(Upload).countBy({ personId: member.personId, ticketId: IsNull() });
      const filler = Array.from({ length: MAX_PENDING_UPLOADS_PER_PERSON - pending }, (_, i) => ({
        id: `pendingfiller${String(i).padStart(9, '0')}`,
        personId: member.personId,
        kind: UploadKind.Image,
        mime: 'image/png',
        size: 1,
        sha256: sha256(Buffer.from(String(i))),
        storageKey: `pe/pendingfiller${i}`,
        durationMs: null,
        ticketId: null,
        eventId: null,
        ordinal: null,
        createdAt: new Date(),
        attachedAt: null,
      }));
      await t.db.getRepository(Upload).insert(filler);
      try {
        const res = await upload(member, padded(ACCEPTED.png.bytes, 500)).expect(429);
        expect(res.body).toEqual({ code: ErrorCode.RateLimited, message: '待提交的附件太多，请先提交诉求或稍后再试' });
      } finally {
        await t.db.getRepository(Upload).delete(filler.map((f) => f.id));
      }
    });
  });

  describe('GET /api/v1/files/:id (signed links)', () => {
    it('streams the file without a login header, typed, privately cached and not sniffable', async () => {
      const sample = ACCEPTED['m4a'];
      const view = await uploaded(contact, sample.bytes, { durationMs: '1500' });
      const res = await fetchFile(view.url).expect(200);
      expect(res.body).toEqual(sample.bytes);
      expect(res.headers['content-type']).toBe('audio/mp4');
      expect(res.headers['content-length']).toBe(String(sample.bytes.length));
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['accept-ranges']).toBe('bytes');
      const maxAge = Number(/^private, max-age=(\d+)$/.exec(res.headers['cache-control'])?.[1]);
      expect(maxAge).toBeGreaterThanOrEqual(URL_TTL_S - 2);
      expect(maxAge).toBeLessThanOrEqual(URL_TTL_S + 300);
    });

    it('serves one byte range with 206 (audio players ask for ranges)', async () => {
      const sample = ACCEPTED['mp3 with an ID3 tag'];
      const view = await uploaded(contact, sample.bytes);
      const part = await fetchFile(view.url).set('Range', 'bytes=10-13').expect(206);
      expect(part.body).toEqual(sample.bytes.subarray(10, 14));
      expect(part.headers['content-range']).toBe(`bytes 10-13/${sample.bytes.length}`);
      const tail = await fetchFile(view.url).set('Range', 'bytes=-4').expect(206);
      expect(tail.body).toEqual(sample.bytes.subarray(-4));
      // Several ranges, or one past the end, are ignored: the whole file.
      expect((await fetchFile(view.url).set('Range', 'bytes=0-1,5-6').expect(200)).body).toEqual(sample.bytes);
      expect((await fetchFile(view.url).set('Range', `bytes=${sample.bytes.length}-`).expect(200)).body).toEqual(sample.bytes);
    });

    it('hands out the same link for a while, so clients can cache the image', async () => {
      const view = await uploaded(contact, padded(ACCEPTED.jpeg.bytes, 777));
      const again = (await http().get(`/api/v1/uploads/${view.id}`).set('Authorization', contact.auth).expect(200)).body;
      const exp = (url: string) => Number(new URL(url, 'http://x').searchParams.get('exp'));
      expect(Math.abs(exp(again.url) - exp(view.url))).toBeLessThanOrEqual(300);
    });

    it('refuses an expired link with 403', async () => {
      const view = await uploaded(contact, padded(ACCEPTED.png.bytes, 901));
      const later = new Date(Date.now() + (URL_TTL_S + 301) * 1000);
      jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(later);
      const res = await http().get(view.url).expect(403);
      expect(res.body).toEqual({ code: ErrorCode.Forbidden, message: '文件链接已过期，请返回页面刷新后重试' });
    });

    it('refuses a tampered, borrowed or incomplete link with 403', async () => {
      const a = await uploaded(contact, padded(ACCEPTED.png.bytes, 902));
      const b = await uploaded(contact, padded(ACCEPTED.png.bytes, 903));
      const url = new URL(a.url, 'http://x');
      const sig = url.searchParams.get('sig')!;
      const exp = url.searchParams.get('exp')!;
      const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
      const attempts = [
        `/api/v1/files/${a.id}?exp=${exp}&sig=${flipped}`,
        `/api/v1/files/${a.id}?exp=${Number(exp) + 86_400}&sig=${sig}`,
        `/api/v1/files/${b.id}?exp=${exp}&sig=${sig}`,
        `/api/v1/files/${a.id}?exp=${exp}`,
        `/api/v1/files/${a.id}?sig=${sig}`,
        `/api/v1/files/${a.id}?exp=${exp}&sig=${sig}&sig=${sig}`,
        `/api/v1/files/${a.id}`,
      ];
      for (const attempt of attempts) {
        const res = await http().get(attempt).expect(403);
        expect(res.body).toEqual({ code: ErrorCode.Forbidden, message: '文件链接无效' });
      }
      // The genuine link still works, and needs no login even when one is sent.
      await fetchFile(a.url).set('Authorization', member.auth).expect(200);
    });
  });

  describe('GET /api/v1/uploads/:id', () => {
    it("shows the uploader their own upload; anybody else's or an unknown id is 404", async () => {
      const view = await uploaded(contact, padded(ACCEPTED.png.bytes, 1001));
      const own = await http().get(`/api/v1/uploads/${view.id}`).set('Authorization', contact.auth).expect(200);
      expect(own.body).toMatchObject({ id: view.id, kind: UploadKind.Image, mime: 'image/png', size: 1001, eventId: null });
      for (const [as, id] of [
        [member, view.id],
        [contact, 'AAAAAAAAAAAAAAAAAAAAAA'],
        [contact, view.id.toLowerCase() === view.id ? view.id.toUpperCase() : view.id.toLowerCase()],
        [contact, '../../etc/passwd'],
      ] as const) {
        const res = await http().get(`/api/v1/uploads/${encodeURIComponent(id)}`).set('Authorization', as.auth).expect(404);
        expect(res.body).toEqual({ code: ErrorCode.NotFound, message: '附件不存在' });
      }
    });
  });

  describe('UploadsService.attach and listForTicket', () => {
    it('attaches own uploads to a ticket event in the order given, and lists them oldest first', async () => {
      const first = await ticketWithEvent();
      const photo1 = await uploaded(contact, padded(ACCEPTED.jpeg.bytes, 2001));
      const photo2 = await uploaded(contact, padded(ACCEPTED.png.bytes, 2002));
      const voice = await uploaded(contact, padded(ACCEPTED.adts.bytes, 2003), { durationMs: '3000' });
      const views = await attach(contact.personId, [photo2.id, voice.id, photo1.id, photo2.id], first);
      expect(views.map((v) => [v.id, v.eventId])).toEqual([
        [photo2.id, first.eventId],
        [voice.id, first.eventId],
        [photo1.id, first.eventId],
      ]);
      expect(views[1]).toMatchObject({ kind: UploadKind.Voice, mime: 'audio/aac', durationMs: 3000 });
      const rows = await t.db.getRepository(Upload).findBy({ ticketId: first.ticketId });
      expect(rows.map((r) => [r.id, r.eventId, r.ordinal, r.attachedAt !== null]).sort()).toEqual(
        [
          [photo2.id, first.eventId, 0, true],
          [voice.id, first.eventId, 1, true],
          [photo1.id, first.eventId, 2, true],
        ].sort(),
      );

      // A later event of the same ticket adds one more; the list keeps events in order.
      const later = await t.db.query(
        "INSERT INTO ticket_event (ticket_id, type, to_status, level, actor, at) VALUES (?, 'comment', 'submitted', 0, 'grid_member', UTC_TIMESTAMP(3))",
        [first.ticketId],
      );
      const staffPhoto = await uploaded(member, padded(ACCEPTED.webp.bytes, 2004));
      jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 1000));
      await attach(member.personId, [staffPhoto.id], { ticketId: first.ticketId, eventId: Number(later.insertId) });
      const listed = await uploads.listForTicket(first.ticketId);
      expect(listed.map((v) => v.id)).toEqual([photo2.id, voice.id, photo1.id, staffPhoto.id]);
      expect(listed[3].eventId).toBe(Number(later.insertId));
      // The listed links are fresh and work.
      expect((await fetchFile(listed[0].url).expect(200)).body.length).toBe(2002);
      expect(await uploads.listForTicket((await ticketWithEvent()).ticketId)).toEqual([]);
      expect(await attach(contact.personId, [], first)).toEqual([]);
    });

    it("refuses somebody else's, already attached or unknown ids with UPLOAD_NOT_FOUND, changing nothing", async () => {
      const target = await ticketWithEvent();
      const mine = await uploaded(contact, padded(ACCEPTED.png.bytes, 3001));
      const theirs = await uploaded(member, padded(ACCEPTED.png.bytes, 3002));
      const used = await uploaded(contact, padded(ACCEPTED.png.bytes, 3003));
      const usedOn = await ticketWithEvent();
      await attach(contact.personId, [used.id], usedOn);

      const err = await rejection(attach(contact.personId, [mine.id, theirs.id, used.id, 'NoSuchUploadNoSuchUplo'], target));
      expect(err.code).toBe(ErrorCode.UploadNotFound);
      expect(err.details).toEqual({ uploadIds: [theirs.id, used.id, 'NoSuchUploadNoSuchUplo'] });
      const after = await t.db.getRepository(Upload).findBy([{ id: mine.id }, { id: theirs.id }, { id: used.id }]);
      expect(Object.fromEntries(after.map((u) => [u.id, u.ticketId]))).toEqual({ [mine.id]: null, [theirs.id]: null, [used.id]: usedOn.ticketId });
      expect(await uploads.listForTicket(target.ticketId)).toEqual([]);
    });

    it('allows 9 images and 1 voice note per action, no more', async () => {
      const target = await ticketWithEvent();
      const images = await Promise.all(Array.from({ length: 10 }, (_, i) => uploaded(contact, padded(ACCEPTED.jpeg.bytes, 4000 + i))));
      const voices = await Promise.all([0, 1].map((i) => uploaded(contact, padded(ACCEPTED.adts.bytes, 4100 + i))));
      const message = '一次最多添加 9 张图片和 1 条语音';
      const tenImages = await rejection(attach(contact.personId, images.map((v) => v.id), target));
      expect([tenImages.code, tenImages.message]).toEqual([ErrorCode.ValidationFailed, message]);
      const twoVoices = await rejection(attach(contact.personId, [images[0].id, ...voices.map((v) => v.id)], target));
      expect([twoVoices.code, twoVoices.message]).toEqual([ErrorCode.ValidationFailed, message]);
      const eleven = await rejection(attach(contact.personId, [...images, voices[0]].map((v) => v.id), target));
      expect(eleven.code).toBe(ErrorCode.ValidationFailed);
      expect(await uploads.listForTicket(target.ticketId)).toEqual([]);

      const nine = [...images.slice(0, 9), voices[0]].map((v) => v.id);
      expect((await attach(contact.personId, nine, target)).map((v) => v.id)).toEqual(nine);
    });

    it('lets only one of two racing attaches take an upload', async () => {
      const [a, b] = [await ticketWithEvent(), await ticketWithEvent()];
      const view = await uploaded(contact, padded(ACCEPTED.png.bytes, 5101));
      const results = await Promise.allSettled([attach(contact.personId, [view.id], a), attach(contact.personId, [view.id], b)]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as AppError).code).toBe(ErrorCode.UploadNotFound);
      const listed = [...(await uploads.listForTicket(a.ticketId)), ...(await uploads.listForTicket(b.ticketId))];
      expect(listed.map((v) => v.id)).toEqual([view.id]);
    });

    it("rolls back with the caller's transaction", async () => {
      const target = await ticketWithEvent();
      const view = await uploaded(contact, padded(ACCEPTED.png.bytes, 5001));
      await expect(
        transactions.run(async (tx) => {
          await uploads.attach(tx, contact.personId, [view.id], { ticketId: target.ticketId, event: { id: target.eventId } });
          throw new Error('the ticket action failed after attaching');
        }),
      ).rejects.toThrow('the ticket action failed');
      expect((await t.db.getRepository(Upload).findOneByOrFail({ id: view.id })).ticketId).toBeNull();
      expect((await attach(contact.personId, [view.id], target))[0].eventId).toBe(target.eventId);
    });
  });

  describe('clean-up of unattached uploads', () => {
    it('deletes rows and files of uploads left unattached for a day, keeping attached and recent ones', async () => {
      const stale = await uploaded(contact, padded(ACCEPTED.png.bytes, 6001));
      const staleAttached = await uploaded(contact, padded(ACCEPTED.png.bytes, 6002));
      await attach(contact.personId, [staleAttached.id], await ticketWithEvent());
      const fresh = await uploaded(contact, padded(ACCEPTED.png.bytes, 6003));
      const dayAgo = new Date(Date.now() - DAY_MS - 60_000);
      await t.db.getRepository(Upload).update([stale.id, staleAttached.id], { createdAt: dayAgo });
      const keyOf = async (id: string) => (await t.db.getRepository(Upload).findOneByOrFail({ id })).storageKey;
      const staleKey = await keyOf(stale.id);

      expect(await uploads.purgeUnattached()).toBe(1);
      expect(await t.db.getRepository(Upload).findOneBy({ id: stale.id })).toBeNull();
      expect(await filesUnder(dir)).not.toContain(staleKey);
      for (const kept of [staleAttached.id, fresh.id]) expect(await filesUnder(dir)).toContain(await keyOf(kept));
      // A deleted upload can no longer be attached, and its old link finds nothing.
      const err = await rejection(attach(contact.personId, [stale.id], await ticketWithEvent()));
      expect(err.code).toBe(ErrorCode.UploadNotFound);
      expect((await http().get(stale.url).expect(404)).body).toEqual({ code: ErrorCode.NotFound, message: '文件不存在或已被删除' });
      expect(await uploads.purgeUnattached()).toBe(0);
    });
  });
});

describe('uploads on S3-compatible storage (e2e)', () => {
  let fake: FakeS3;
  let t: TestApp;

  beforeAll(async () => {
    fake = await startFakeS3({ bucket: 'qihu-e2e' });
    t = await startTestApp({
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: fake.url,
      S3_BUCKET: fake.bucket,
      S3_ACCESS_KEY_ID: fake.accessKeyId,
      S3_SECRET_ACCESS_KEY: fake.secretAccessKey,
      S3_REGION: fake.region,
    });
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('stores the upload in the bucket under its key and serves it back through the signed link', async () => {
    const contact = await t.as(Role.FirmContact);
    const sample = ACCEPTED['m4a with a generic brand'];
    const view: AttachmentView = (
      await request(t.app.getHttpServer()).post('/api/v1/uploads').set('Authorization', contact.auth).attach('file', sample.bytes, 'voice.m4a').expect(201)
    ).body;
    const row = await t.db.getRepository(Upload).findOneByOrFail({ id: view.id });
    expect(fake.object(row.storageKey)).toEqual({ body: sample.bytes, contentType: 'audio/mp4' });
    const res = await request(t.app.getHttpServer()).get(view.url).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(sample.bytes);
    expect(fake.requests().every((r) => r.accepted)).toBe(true);

    await t.db.getRepository(Upload).update(view.id, { createdAt: new Date(Date.now() - DAY_MS - 60_000) });
    expect(await t.app.get(UploadsService).purgeUnattached()).toBe(1);
    expect(fake.keys()).toEqual([]);
  });
});
