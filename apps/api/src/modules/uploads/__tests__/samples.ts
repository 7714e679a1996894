/**
 * Tiny files of every accepted format, and of formats that must be refused, built byte by byte
 * so the tests need no fixtures on disk. Shared by the unit specs and the uploads e2e spec.
 */

const ascii = (s: string) => Buffer.from(s, 'latin1');
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** An ISO-BMFF box: 32-bit size, 4-character type, content. */
export function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([u32(8 + body.length), ascii(type), body]);
}

/** A 1×1 PNG (one opaque pixel). */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/**
 * A 1×1 grey baseline JPEG: quantisation table of ones, one-code Huffman tables, and one block
 * whose DC difference is 0 and whose AC coefficients end at once (bits 00, padded with ones).
 */
const jpeg = Buffer.from([
  0xff, 0xd8, // SOI
  0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array(64).fill(0x01), // DQT 0
  0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, // SOF0 1×1, one component
  0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, ...new Array(15).fill(0x00), 0x00, // DHT DC 0: one 1-bit code for category 0
  0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, ...new Array(15).fill(0x00), 0x00, // DHT AC 0: one 1-bit code for EOB
  0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, // SOS
  0x3f, // entropy-coded data
  0xff, 0xd9, // EOI
]);

/** A 1×1 lossless WebP. */
const webp = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/** One ADTS frame: AAC-LC, 44.1 kHz, mono, no CRC, carrying a silent raw data block. */
function adtsFrame(): Buffer {
  const payload = Buffer.from([0x21, 0x10, 0x04, 0x60, 0x8c, 0x1c]);
  const length = 7 + payload.length;
  const header = Buffer.from([
    0xff,
    0xf1, // sync, MPEG-4, layer 00, protection absent
    0x50, // profile LC, sampling index 4 (44.1 kHz), channel configuration high bit 0
    0x40 | ((length >> 11) & 0x03), // channel configuration 1, frame length high bits
    (length >> 3) & 0xff,
    ((length & 0x07) << 5) | 0x1f, // frame length low bits, buffer fullness 0x7FF (VBR)
    0xfc, // buffer fullness, one raw data block
  ]);
  return Buffer.concat([header, payload]);
}

/** One silent MPEG-1 Layer III frame: 128 kbps, 44.1 kHz, mono, 417 bytes in all. */
function mp3Frame(): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0xc4]);
  return frame;
}

/** An ID3v2.4 tag holding only 16 bytes of padding (the size is syncsafe). */
const id3Tag = Buffer.concat([ascii('ID3'), Buffer.from([0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10]), Buffer.alloc(16)]);

/** ftyp, then a movie whose tracks have the given handlers (soun, vide), then the media data. */
export function mp4(majorBrand: string, compatible: string[], handlers: string[]): Buffer {
  const ftyp = box('ftyp', ascii(majorBrand), u32(0), ...compatible.map(ascii));
  const traks = handlers.map((h) =>
    box('trak', box('mdia', box('hdlr', u32(0), u32(0), ascii(h), Buffer.alloc(12), ascii('Handler\0')))),
  );
  return Buffer.concat([ftyp, box('moov', ...traks), box('mdat', Buffer.alloc(32))]);
}

export const ACCEPTED = {
  png: { bytes: png, kind: 'image', mime: 'image/png' },
  jpeg: { bytes: jpeg, kind: 'image', mime: 'image/jpeg' },
  webp: { bytes: webp, kind: 'image', mime: 'image/webp' },
  adts: { bytes: adtsFrame(), kind: 'voice', mime: 'audio/aac' },
  'adts after an ID3 tag': { bytes: Buffer.concat([id3Tag, adtsFrame()]), kind: 'voice', mime: 'audio/aac' },
  'mp3 with an ID3 tag': { bytes: Buffer.concat([id3Tag, mp3Frame()]), kind: 'voice', mime: 'audio/mpeg' },
  'mp3 frame sync': { bytes: mp3Frame(), kind: 'voice', mime: 'audio/mpeg' },
  m4a: { bytes: mp4('M4A ', ['M4A ', 'mp42', 'isom'], ['soun']), kind: 'voice', mime: 'audio/mp4' },
  'm4a with a generic brand': { bytes: mp4('isom', ['isom', 'iso2', 'mp41'], ['soun']), kind: 'voice', mime: 'audio/mp4' },
} as const;

export const REFUSED: Record<string, Buffer> = {
  'Windows program (exe)': Buffer.concat([ascii('MZ'), Buffer.from([0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]), Buffer.alloc(54), ascii('PE\0\0')]),
  // A local file header (30 bytes, name length 9) of a zip holding "photo.jpg".
  'zip archive': Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.alloc(20), Buffer.from([0x09, 0x00, 0x00, 0x00]), ascii('photo.jpg')]),
  'plain text': Buffer.from('这不是图片，只是文字。just text', 'utf8'),
  'HTML page': ascii('<!doctype html><script>alert(1)</script>'),
  'SVG image (scriptable)': ascii('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  'GIF image': Buffer.concat([ascii('GIF89a'), Buffer.from([0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]), ascii(',\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;')]),
  'PDF document': ascii('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'),
  'WAV audio (RIFF but not WebP)': Buffer.concat([ascii('RIFF'), Buffer.from([0x24, 0, 0, 0]), ascii('WAVEfmt '), Buffer.alloc(24)]),
  'MP4 video (isom with a video track)': mp4('isom', ['isom', 'mp42'], ['vide', 'soun']),
  'QuickTime movie': mp4('qt  ', ['qt  '], ['soun']),
  'M4A brand without a movie': box('ftyp', ascii('M4A '), u32(0), ascii('M4A ')),
  'ID3 tag followed by text': Buffer.concat([id3Tag, ascii('not audio at all')]),
  'truncated MP3 frame': mp3Frame().subarray(0, 100),
  'PNG signature alone': png.subarray(0, 8),
  'one lone byte': Buffer.from([0xff]),
};
