import { UploadKind } from '@qihu/contracts';
import { detectUploadType, UPLOAD_TYPES } from '../upload-type';
import { ACCEPTED, box, REFUSED } from './samples';

describe('detectUploadType (magic bytes)', () => {
  it.each(Object.entries(ACCEPTED))('accepts %s', (_name, sample) => {
    expect(detectUploadType(sample.bytes)).toEqual({ kind: sample.kind, mime: sample.mime });
  });

  it.each(Object.entries(REFUSED))('refuses %s', (_name, bytes) => {
    expect(detectUploadType(bytes)).toBeNull();
  });

  it('refuses an empty file', () => {
    expect(detectUploadType(Buffer.alloc(0))).toBeNull();
  });

  it('knows exactly the promised formats: JPEG, PNG, WebP images; AAC, MP3, M4A voice', () => {
    expect(UPLOAD_TYPES.map((t) => `${t.kind} ${t.mime}`).sort()).toEqual([
      'image image/jpeg',
      'image image/png',
      'image image/webp',
      'voice audio/aac',
      'voice audio/mp4',
      'voice audio/mpeg',
    ]);
  });

  it('reads the bytes, not the name: a PNG is a PNG whatever follows it', () => {
    const withTrailer = Buffer.concat([ACCEPTED.png.bytes, Buffer.from('trailing bytes.exe')]);
    expect(detectUploadType(withTrailer)).toEqual({ kind: UploadKind.Image, mime: 'image/png' });
  });

  it('refuses audio frame headers with reserved fields', () => {
    const mp3 = Buffer.from(ACCEPTED['mp3 frame sync'].bytes);
    const reservedVersion = Buffer.from(mp3);
    reservedVersion[1] = 0xeb; // version bits 01
    const badBitrate = Buffer.from(mp3);
    badBitrate[2] = 0xf0; // bitrate index 15
    const badRate = Buffer.from(mp3);
    badRate[2] = 0x9c; // sample-rate index 3
    const adts = Buffer.from(ACCEPTED.adts.bytes);
    const badSampling = Buffer.from(adts);
    badSampling[2] = 0x7c; // sampling index 15
    const tooLong = Buffer.from(adts);
    tooLong[4] = 0xff; // frame length beyond the file
    for (const bytes of [reservedVersion, badBitrate, badRate, badSampling, tooLong]) expect(detectUploadType(bytes)).toBeNull();
  });

  it('walks MP4 boxes safely: a lying box size or a 64-bit size is no crash', () => {
    const lying = Buffer.from(ACCEPTED.m4a.bytes);
    lying.writeUInt32BE(0xffffff00, 28); // the moov box claims more than the file holds
    expect(detectUploadType(lying)).toBeNull();
    // The same movie box with its size in the 64-bit field (size 1 + largesize), as big files have.
    const moov = box('moov', box('trak', box('mdia', box('hdlr', Buffer.alloc(8), Buffer.from('soun'), Buffer.alloc(12)))));
    const largeMoov = Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.from('moov'), Buffer.alloc(8), moov.subarray(8)]);
    largeMoov.writeBigUInt64BE(BigInt(largeMoov.length), 8);
    const ftyp = box('ftyp', Buffer.from('M4A '), Buffer.alloc(4), Buffer.from('M4A '));
    expect(detectUploadType(Buffer.concat([ftyp, largeMoov]))).toEqual({ kind: UploadKind.Voice, mime: 'audio/mp4' });
  });
});
