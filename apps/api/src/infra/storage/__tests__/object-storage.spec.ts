import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FakeS3, startFakeS3 } from '../../../../../../test/fakes/s3-server';
import { LocalDiskStorage } from '../local-disk.storage';
import { ObjectStorage, StoredObjectMissing } from '../object-storage';
import { S3Settings, S3Storage } from '../s3.storage';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const body = Buffer.from('一段用于存储测试的字节 0123456789', 'utf8');

/** What every ObjectStorage must do, whatever it is backed by. */
function behavesAsObjectStorage(make: () => ObjectStorage) {
  it('stores bytes under a key and reads them back, whole or as an inclusive range', async () => {
    const storage = make();
    await storage.put('ab/object-1', body, 'text/plain');
    expect(await bytesOf(await storage.get('ab/object-1'))).toEqual(body);
    expect(await bytesOf(await storage.get('ab/object-1', { start: 2, end: 5 }))).toEqual(body.subarray(2, 6));
  });

  it('replaces an object written again under the same key', async () => {
    const storage = make();
    await storage.put('cd/object-2', Buffer.from('first'), 'text/plain');
    await storage.put('cd/object-2', Buffer.from('second'), 'text/plain');
    expect((await bytesOf(await storage.get('cd/object-2'))).toString()).toBe('second');
  });

  it('reports a missing key as StoredObjectMissing, and deletes idempotently', async () => {
    const storage = make();
    await storage.put('ef/object-3', body, 'text/plain');
    await storage.delete('ef/object-3');
    await storage.delete('ef/object-3');
    const err = await rejection(storage.get('ef/object-3'));
    expect(err).toBeInstanceOf(StoredObjectMissing);
    expect((err as StoredObjectMissing).key).toBe('ef/object-3');
  });

  it('refuses keys that could escape their place (.., absolute, odd characters)', async () => {
    const storage = make();
    for (const key of ['../etc/passwd', '/abs', 'a//b', 'a/../b', 'name.jpg', 'with space', '']) {
      expect(await rejection(storage.put(key, body, 'text/plain'))).toBeInstanceOf(Error);
    }
  });
}

describe('LocalDiskStorage', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qihu-storage-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  behavesAsObjectStorage(() => new LocalDiskStorage(join(dir, 'uploads')));

  it('creates the directories of a key and leaves no temporary file behind', async () => {
    const storage: ObjectStorage = new LocalDiskStorage(join(dir, 'uploads'));
    await storage.put('xy/nested-object', body, 'image/png');
    expect(await readdir(join(dir, 'uploads', 'xy'))).toEqual(['nested-object']);
  });
});

describe('S3Storage against the fake S3 server', () => {
  let fake: FakeS3;
  const settings = (overrides: Partial<S3Settings> = {}): S3Settings => ({
    endpoint: fake.url,
    region: fake.region,
    bucket: fake.bucket,
    accessKeyId: fake.accessKeyId,
    secretAccessKey: fake.secretAccessKey,
    forcePathStyle: true,
    ...overrides,
  });
  const opened: S3Storage[] = [];
  const storageWith = (overrides: Partial<S3Settings> = {}) => {
    const storage = new S3Storage(settings(overrides));
    opened.push(storage);
    return storage;
  };

  beforeAll(async () => {
    fake = await startFakeS3();
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await fake.close();
  });

  behavesAsObjectStorage(() => storageWith());

  it('writes path-style requests signed with SigV4, keeping the content type', async () => {
    await storageWith().put('gh/signed-object', body, 'audio/mp4');
    expect(fake.object('gh/signed-object')).toEqual({ body, contentType: 'audio/mp4' });
    const [put] = fake.requests();
    expect(put).toMatchObject({ method: 'PUT', path: `/${fake.bucket}/gh/signed-object`, accepted: true });
    expect(put.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${fake.accessKeyId}/\\d{8}/${fake.region}/s3/aws4_request, ?SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, ?Signature=[0-9a-f]{64}$`),
    );
  });

  it('fails, and stores nothing, when the secret is wrong (the fake checks the signature)', async () => {
    const err = await rejection(storageWith({ secretAccessKey: 'not-the-secret' }).put('ij/refused', body, 'image/png'));
    expect((err as Error).name).toBe('SignatureDoesNotMatch');
    expect(fake.keys()).toEqual([]);
    expect(fake.requests().every((r) => !r.accepted)).toBe(true);
  });

  it('fails on an unknown access key or bucket', async () => {
    expect(((await rejection(storageWith({ accessKeyId: 'nobody' }).put('kl/x', body, 'image/png'))) as Error).name).toBe('InvalidAccessKeyId');
    expect(((await rejection(storageWith({ bucket: 'other-bucket' }).put('kl/x', body, 'image/png'))) as Error).name).toBe('NoSuchBucket');
  });

  it('refuses to start without a bucket or credentials', () => {
    expect(() => new S3Storage(settings({ bucket: undefined }))).toThrow(/S3_BUCKET/);
    expect(() => new S3Storage(settings({ secretAccessKey: undefined }))).toThrow(/S3_SECRET_ACCESS_KEY/);
  });
});
