/** Uploads (photos, voice notes): see apps/api/src/modules/uploads. */

export enum UploadKind {
  Image = 'image',
  Voice = 'voice',
}

export const UPLOAD_KIND_LABEL: Record<UploadKind, string> = {
  [UploadKind.Image]: '图片',
  [UploadKind.Voice]: '语音',
};

/**
 * `POST /uploads` takes multipart/form-data: the file in this field, and for a voice note
 * optionally `durationMs` (what the recorder reported). The type is read from the file's
 * bytes, never from its name: images JPEG/PNG/WebP, voice AAC (ADTS), MP3 or M4A.
 * A retried upload of the same bytes answers with the same, still unattached upload.
 */
export const UPLOAD_FILE_FIELD = 'file';

export interface UploadFields {
  /** Voice notes only: 1 ms to 10 minutes. */
  durationMs?: number;
}

/** What one ticket action may add (a new request, a comment, a resolution). */
export const MAX_IMAGES_PER_ACTION = 9;
export const MAX_VOICE_NOTES_PER_ACTION = 1;

/** Unattached uploads are deleted this long after they were made. */
export const UNATTACHED_UPLOAD_TTL_HOURS = 24;

/** A stored file as the client sees it. `url` is a signed, expiring link that needs no login header. */
export interface AttachmentView {
  id: string;
  kind: UploadKind;
  mime: string;
  size: number;
  /** Voice notes only, when the client said how long it is. */
  durationMs?: number | null;
  url: string;
  /** The ticket event that added it, once attached. */
  eventId: number | null;
  createdAt: string;
}
