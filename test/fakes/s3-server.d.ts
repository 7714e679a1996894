/** Types of s3-server.js (a CommonJS fake of an S3-compatible store); see the comment at its top. */

export interface FakeS3Request {
  method: string;
  /** Path as received, e.g. /qihu/ab/abcdef… */
  path: string;
  authorization: string | null;
  /** The SigV4 check passed. */
  accepted: boolean;
}

export interface FakeS3 {
  url: string;
  port: number;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  close(): Promise<void>;
  /** A stored object, or undefined. */
  object(key: string, bucket?: string): { body: Buffer; contentType: string } | undefined;
  keys(bucket?: string): string[];
  /** Every object request, oldest first. */
  requests(): FakeS3Request[];
  /** Forgets every object and request. */
  reset(): void;
}

export function startFakeS3(options?: {
  port?: number;
  host?: string;
  bucket?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
}): Promise<FakeS3>;
