import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig, CONFIG } from '../../config/config';

/** Where files are served; the global prefix is part of it because clients use the link as is. */
export const FILE_LINK_PATH = '/api/v1/files';

/**
 * Expiries are rounded up to this step, so every view of a ticket within it hands out the same
 * link and the mini-program's image cache hits instead of fetching the photo again.
 */
const EXPIRY_STEP_SECONDS = 300;

const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const EXPIRY = /^\d{1,12}$/;

export type LinkCheck = { ok: true; expiresAt: number } | { ok: false; reason: 'invalid' | 'expired' };

/**
 * Signed, expiring links to uploaded files. Mini-program <Image> and audio tags cannot send an
 * Authorization header, so the link itself carries the permission: HMAC-SHA256 over the upload
 * id and the expiry (unix seconds), keyed by a key derived from the JWT secret, so a link
 * signature can never be mistaken for, or help forge, anything else signed with that secret.
 */
@Injectable()
export class FileLinks {
  private readonly key: Buffer;
  private readonly ttlSeconds: number;

  constructor(@Inject(CONFIG) config: AppConfig) {
    this.key = createHmac('sha256', config.auth.jwtSecret).update('qihu file links v1').digest();
    this.ttlSeconds = config.storage.urlTtlSeconds;
  }

  /** A relative link valid for at least the configured lifetime from `now`. */
  url(uploadId: string, now: Date): string {
    const earliest = Math.floor(now.getTime() / 1000) + this.ttlSeconds;
    const expiresAt = Math.ceil(earliest / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
    return this.urlExpiringAt(uploadId, expiresAt);
  }

  urlExpiringAt(uploadId: string, expiresAt: number): string {
    return `${FILE_LINK_PATH}/${uploadId}?exp=${expiresAt}&sig=${this.sign(uploadId, expiresAt)}`;
  }

  /** Checks the signature first: an expired link is only reported as such when it was genuine. */
  check(uploadId: string, exp: unknown, sig: unknown, now: Date): LinkCheck {
    if (typeof exp !== 'string' || typeof sig !== 'string' || !EXPIRY.test(exp) || !SIGNATURE.test(sig)) {
      return { ok: false, reason: 'invalid' };
    }
    const expiresAt = Number(exp);
    const expected = Buffer.from(this.sign(uploadId, expiresAt));
    if (!timingSafeEqual(expected, Buffer.from(sig))) return { ok: false, reason: 'invalid' };
    if (expiresAt * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, expiresAt };
  }

  private sign(uploadId: string, expiresAt: number): string {
    return createHmac('sha256', this.key).update(`${uploadId}\n${expiresAt}`).digest('base64url');
  }
}
