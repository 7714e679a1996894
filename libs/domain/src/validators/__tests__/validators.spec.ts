import fc from 'fast-check';
import { USCC_ALPHABET, UsccProblem, checkUnifiedSocialCreditCode, isValidUnifiedSocialCreditCode, usccCheckDigit } from '../uscc';
import { isValidChineseMobile, maskChineseMobile, normalizeChineseMobile } from '../mobile';
import {
  isMicrogridOfGrid,
  isValidCommunityCode,
  isValidGridCode,
  isValidMicrogridCode,
  makeGridCode,
  makeMicrogridCode,
  parseGridCode,
  parseMicrogridCode,
} from '../grid-code';

describe('unified social credit code (GB 32100)', () => {
  it.each([
    '91440300708461136T', // published codes of well-known firms
    '91330100716105852F',
    '914403001922038216',
    '91110000802100433B',
    '91350100M000100Y43',
  ])('accepts %s', (code) => {
    expect(checkUnifiedSocialCreditCode(code)).toEqual({ ok: true, code });
  });

  it('normalises case and surrounding blanks', () => {
    expect(checkUnifiedSocialCreditCode(' 91350100m000100y43 ')).toEqual({ ok: true, code: '91350100M000100Y43' });
  });

  it.each([
    ['91440300708461136', UsccProblem.Length],
    ['91440300708461136TT', UsccProblem.Length],
    ['91440300708461136I', UsccProblem.Character],
    ['91440300708461136S', UsccProblem.Character],
    ['91A40300708461136T', UsccProblem.DivisionCode],
    ['91440300708461136U', UsccProblem.CheckDigit],
    ['91440300708461137T', UsccProblem.CheckDigit],
  ])('rejects %s: %s', (code, problem) => {
    expect(checkUnifiedSocialCreditCode(code)).toEqual({ ok: false, problem });
    expect(isValidUnifiedSocialCreditCode(code)).toBe(false);
  });

  const body = fc
    .tuple(
      fc.constantFrom('1', '5', '9', 'Y'),
      fc.constantFrom('1', '2', '3', '9'),
      fc.stringMatching(/^\d{6}$/),
      fc.array(fc.constantFrom(...USCC_ALPHABET), { minLength: 9, maxLength: 9 }),
    )
    .map(([a, b, div, org]) => a + b + div + org.join(''));

  it('accepts any body with its computed check digit and rejects every other final character', () => {
    fc.assert(
      fc.property(body, fc.constantFrom(...USCC_ALPHABET), (first17, last) => {
        expect(isValidUnifiedSocialCreditCode(first17 + last)).toBe(last === usccCheckDigit(first17));
      }),
    );
  });

  it('detects any single-character substitution', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 30 }), (first17, pos, shift) => {
        const code = first17 + usccCheckDigit(first17);
        const replaced = USCC_ALPHABET[(USCC_ALPHABET.indexOf(code[pos]) + shift) % 31];
        const changed = code.slice(0, pos) + replaced + code.slice(pos + 1);
        fc.pre(/^\d{6}$/.test(changed.slice(2, 8)));
        expect(isValidUnifiedSocialCreditCode(changed)).toBe(false);
      }),
    );
  });
});

describe('Chinese mobile numbers', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['199 1234 5678', '19912345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
  ])('accepts %s as %s', (input, normalised) => {
    expect(normalizeChineseMobile(input)).toBe(normalised);
    expect(isValidChineseMobile(input)).toBe(true);
  });

  it.each(['12812345678', '1381234567', '138123456789', '23812345678', '+8512812345678', '0571-87654321', '1381234567a'])('rejects %s', (input) => {
    expect(normalizeChineseMobile(input)).toBeNull();
  });

  it('masks the middle four digits', () => {
    expect(maskChineseMobile('+86 13812345678')).toBe('138****5678');
    expect(() => maskChineseMobile('12345')).toThrow(RangeError);
  });
});

describe('grid and micro-grid codes', () => {
  const community = '330206001001'; // 12-digit statistical division code of a community
  it('builds and parses grid codes as community code + 3 digits', () => {
    const grid = makeGridCode(community, 7);
    expect(grid).toBe('330206001001007');
    expect(parseGridCode(grid)).toEqual({ communityCode: community, gridNumber: 7 });
    expect(isValidGridCode(grid)).toBe(true);
  });

  it('builds and parses micro-grid codes as grid code + 2 digits', () => {
    const micro = makeMicrogridCode('330206001001007', 12);
    expect(micro).toBe('33020600100100712');
    expect(parseMicrogridCode(micro)).toEqual({ communityCode: community, gridCode: '330206001001007', gridNumber: 7, microgridNumber: 12 });
    expect(isMicrogridOfGrid(micro, '330206001001007')).toBe(true);
    expect(isMicrogridOfGrid(micro, '330206001001008')).toBe(false);
    expect(isValidMicrogridCode(micro)).toBe(true);
  });

  it.each(['330206001001000', '030206001001007', '33020600100100', '33020600100100a'])('rejects grid code %s', (code) => {
    expect(isValidGridCode(code)).toBe(false);
  });

  it.each(['33020600100100700', '3302060010010071', '33020600100100001', '330206001001007ab'])('rejects micro-grid code %s', (code) => {
    expect(isValidMicrogridCode(code)).toBe(false);
  });

  it('refuses to build codes out of range', () => {
    expect(isValidCommunityCode('33020600100')).toBe(false);
    expect(() => makeGridCode('33020600100', 1)).toThrow(RangeError);
    expect(() => makeGridCode(community, 0)).toThrow(RangeError);
    expect(() => makeGridCode(community, 1000)).toThrow(RangeError);
    expect(() => makeMicrogridCode('330206001001000', 1)).toThrow(RangeError);
    expect(() => makeMicrogridCode('330206001001007', 100)).toThrow(RangeError);
  });

  it('round-trips every grid and micro-grid number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 99 }), (g, m) => {
        const micro = makeMicrogridCode(makeGridCode(community, g), m);
        expect(parseMicrogridCode(micro)).toMatchObject({ gridNumber: g, microgridNumber: m });
      }),
    );
  });
});
