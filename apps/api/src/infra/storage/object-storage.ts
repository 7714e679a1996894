import type { Readable } from 'node:stream';

/**
 * Where uploaded files live: local disk by default, an S3-compatible store in production.
 * Keys are ours (generated ids, never a client's file name); the database row says which
 * key belongs to which upload.
 */
export interface ObjectStorage {
  /** Stores the bytes under `key`, replacing whatever was there; readers never see half a file. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The bytes (or the inclusive byte range) under `key`; StoredObjectMissing when there are none. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes `key`; a key that is already gone is not an error. */
  delete(key: string): Promise<void>;
  /** Releases connections at shutdown. */
  close?(): Promise<void>;
}

/** Inclusive, like an HTTP Range header: bytes 0-0 is the first byte. */
export interface ByteRange {
  start: number;
  end: number;
}

export const OBJECT_STORAGE = Symbol('ObjectStorage');

export class StoredObjectMissing extends Error {
  constructor(readonly key: string) {
    super(`no stored object under key ${key}`);
    this.name = 'StoredObjectMissing';
  }
}

/** Path segments of letters, digits, _ and -: safe as a file path and as an S3 key without escaping. */
const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

export function assertStorageKey(key: string): void {
  if (key.length > 200 || !KEY.test(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}
