import { UploadKind } from '@qihu/contracts';

/** What an upload is, read from its first bytes; the client's file name and mime are never asked. */
export interface UploadType {
  kind: UploadKind;
  mime: string;
}

/**
 * The accepted formats, tried in order; the first whose test passes names the file. Each test
 * looks past the bare signature where it cheaply can (a PNG's IHDR, a WebP's VP8 chunk, an
 * audio frame header whose fields are legal and whose frame fits in the file, an MP4 whose
 * tracks are sound only), so a few lucky bytes in front of something else do not pass.
 */
export const UPLOAD_TYPES: ReadonlyArray<UploadType & { test: (b: Buffer) => boolean }> = [
  { kind: UploadKind.Image, mime: 'image/jpeg', test: (b) => bytesAt(b, 0, [0xff, 0xd8, 0xff]) },
  {
    kind: UploadKind.Image,
    mime: 'image/png',
    test: (b) => bytesAt(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && textAt(b, 12, 'IHDR'),
  },
  {
    kind: UploadKind.Image,
    mime: 'image/webp',
    test: (b) => textAt(b, 0, 'RIFF') && textAt(b, 8, 'WEBP') && ['VP8 ', 'VP8L', 'VP8X'].some((c) => textAt(b, 12, c)),
  },
  { kind: UploadKind.Voice, mime: 'audio/mp4', test: isSoundOnlyMp4 },
  { kind: UploadKind.Voice, mime: 'audio/aac', test: (b) => isAdtsFrame(b, afterId3Tag(b)) },
  { kind: UploadKind.Voice, mime: 'audio/mpeg', test: (b) => isMp3Frame(b, afterId3Tag(b)) },
];

export function detectUploadType(bytes: Buffer): UploadType | null {
  const found = UPLOAD_TYPES.find((t) => t.test(bytes));
  return found ? { kind: found.kind, mime: found.mime } : null;
}

function bytesAt(b: Buffer, at: number, expected: number[]): boolean {
  return b.length >= at + expected.length && expected.every((v, i) => b[at + i] === v);
}

function textAt(b: Buffer, at: number, expected: string): boolean {
  return b.length >= at + expected.length && b.toString('latin1', at, at + expected.length) === expected;
}

/**
 * Where the audio starts: after an ID3v2 tag (MP3s and some AAC streams carry one in front),
 * else 0. The tag size is "syncsafe": 7 bits per byte.
 */
function afterId3Tag(b: Buffer): number {
  if (!textAt(b, 0, 'ID3') || b.length < 10 || b[3] < 2 || b[3] > 4 || b[4] === 0xff) return 0;
  const sizeBytes = [b[6], b[7], b[8], b[9]];
  if (sizeBytes.some((x) => x >= 0x80)) return 0;
  const size = sizeBytes.reduce((n, x) => (n << 7) | x, 0);
  const footer = b[5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/** AAC in ADTS: 12-bit sync, layer 00, a legal sampling rate, and a first frame that fits. */
function isAdtsFrame(b: Buffer, at: number): boolean {
  if (b.length < at + 7 || b[at] !== 0xff || (b[at + 1] & 0xf6) !== 0xf0) return false;
  const samplingIndex = (b[at + 2] >> 2) & 0x0f;
  if (samplingIndex > 12) return false;
  const headerLength = b[at + 1] & 0x01 ? 7 : 9;
  const frameLength = ((b[at + 3] & 0x03) << 11) | (b[at + 4] << 3) | (b[at + 5] >> 5);
  return frameLength >= headerLength && at + frameLength <= b.length;
}

/** Kilobits per second by bitrate index, for Layer III: MPEG-1, and MPEG-2/2.5. */
const MP3_BITRATES = {
  mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
/** Hz by sample-rate index, by version bits (0 MPEG-2.5, 2 MPEG-2, 3 MPEG-1; 1 is reserved). */
const MP3_SAMPLE_RATES: Record<number, number[]> = { 0: [11025, 12000, 8000], 2: [22050, 24000, 16000], 3: [44100, 48000, 32000] };

/** An MPEG audio Layer III frame header with legal fields, whose frame fits in the file. */
function isMp3Frame(b: Buffer, at: number): boolean {
  if (b.length < at + 4 || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[at + 1] >> 3) & 0x03;
  const layer = (b[at + 1] >> 1) & 0x03;
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 0x03;
  // Layer bits 01 are Layer III; bitrate 0 ("free") and 15 and sample rate 3 are not playable here.
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return false;
  const kbps = (version === 3 ? MP3_BITRATES.mpeg1 : MP3_BITRATES.mpeg2)[bitrateIndex];
  const hz = MP3_SAMPLE_RATES[version][rateIndex];
  const padding = (b[at + 2] >> 1) & 0x01;
  const frameLength = Math.floor(((version === 3 ? 144 : 72) * kbps * 1000) / hz) + padding;
  return at + frameLength <= b.length;
}

/** ftyp brands of MP4 files that may hold only sound (the M4A family and the generic ISO ones). */
const AUDIO_MP4_BRANDS = new Set(['M4A ', 'M4B ', 'mp41', 'mp42', 'isom', 'iso2', 'iso4', 'iso5', 'iso6']);

/**
 * M4A: an ISO-BMFF file whose ftyp names an audio-capable brand and whose movie has sound
 * tracks only. The generic brands (isom, mp42) are shared with video, hence the track check.
 */
function isSoundOnlyMp4(b: Buffer): boolean {
  const [ftyp] = boxes(b, 0, b.length);
  if (!ftyp || ftyp.type !== 'ftyp' || ftyp.end - ftyp.body < 8) return false;
  const brands = [b.toString('latin1', ftyp.body, ftyp.body + 4)];
  for (let at = ftyp.body + 8; at + 4 <= ftyp.end; at += 4) brands.push(b.toString('latin1', at, at + 4));
  if (!AUDIO_MP4_BRANDS.has(brands[0]) && !brands.includes('M4A ')) return false;
  const handlers = trackHandlers(b);
  return handlers.length > 0 && handlers.every((h) => h === 'soun');
}

interface Box {
  type: string;
  /** Offset of the box's content, after its header. */
  body: number;
  /** Offset just past the box. */
  end: number;
}

/** The boxes laid end to end in [start, end); stops at the first malformed one. */
function boxes(b: Buffer, start: number, end: number): Box[] {
  const found: Box[] = [];
  for (let at = start; at + 8 <= end; ) {
    let size = b.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      const large = b.readBigUInt64BE(at + 8);
      if (large > BigInt(end - at)) break;
      size = Number(large);
      header = 16;
    } else if (size === 0) {
      size = end - at; // the last box runs to the end of the file
    }
    if (size < header || at + size > end) break;
    found.push({ type: b.toString('latin1', at + 4, at + 8), body: at + header, end: at + size });
    at += size;
  }
  return found;
}

function child(b: Buffer, parent: Box, type: string): Box | undefined {
  return boxes(b, parent.body, parent.end).find((x) => x.type === type);
}

/** moov → trak → mdia → hdlr handler_type of every track ('soun', 'vide', …). */
function trackHandlers(b: Buffer): string[] {
  const moov = boxes(b, 0, b.length).find((x) => x.type === 'moov');
  if (!moov) return [];
  return boxes(b, moov.body, moov.end)
    .filter((x) => x.type === 'trak')
    .map((trak) => {
      const mdia = child(b, trak, 'mdia');
      const hdlr = mdia && child(b, mdia, 'hdlr');
      // hdlr is a full box: version and flags (4 bytes), pre_defined (4), then handler_type.
      return hdlr && hdlr.end - hdlr.body >= 12 ? b.toString('latin1', hdlr.body + 8, hdlr.body + 12) : '';
    });
}
