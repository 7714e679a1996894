/** Uploads (photos, voice notes): see apps/api/src/modules/uploads. */

export enum UploadKind {
  Image = 'image',
  Voice = 'voice',
}

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
