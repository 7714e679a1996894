import { parseByteRange } from '../byte-range';

describe('parseByteRange', () => {
  it.each([
    ['bytes=0-0', { start: 0, end: 0 }],
    ['bytes=10-19', { start: 10, end: 19 }],
    ['bytes=90-', { start: 90, end: 99 }],
    ['bytes=90-500', { start: 90, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=-500', { start: 0, end: 99 }],
  ])('reads %s of a 100-byte file', (header, range) => {
    expect(parseByteRange(header, 100)).toEqual(range);
  });

  it.each([undefined, '', 'bytes=-', 'bytes=100-', 'bytes=20-10', 'bytes=-0', 'bytes=0-1,5-6', 'items=0-1', 'bytes=a-b'])(
    'ignores %p (the whole file is sent)',
    (header) => {
      expect(parseByteRange(header, 100)).toBeNull();
    },
  );

  it('ignores any range of an empty file', () => {
    expect(parseByteRange('bytes=0-', 0)).toBeNull();
  });
});
