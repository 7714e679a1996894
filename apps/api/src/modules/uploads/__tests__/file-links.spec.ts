import { loadConfig } from '../../../config/config';
import { FILE_LINK_PATH, FileLinks } from '../file-links';

const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'a-test-secret-of-enough-length', FILE_URL_TTL_SECONDS: '3600' });
const links = new FileLinks(config);
const id = 'q3Vx0b1TqzKpE6mYc2Lr8w';
const now = new Date('2026-11-23T08:00:00Z');
const nowS = now.getTime() / 1000;

function parts(url: string): { path: string; exp: string; sig: string } {
  const u = new URL(url, 'http://x');
  return { path: u.pathname, exp: u.searchParams.get('exp')!, sig: u.searchParams.get('sig')! };
}

describe('FileLinks', () => {
  it('signs a relative link that lives at least the configured time, rounded up to 5 minutes', () => {
    const { path, exp, sig } = parts(links.url(id, now));
    expect(path).toBe(`${FILE_LINK_PATH}/${id}`);
    expect(Number(exp) % 300).toBe(0);
    expect(Number(exp) - nowS).toBeGreaterThanOrEqual(3600);
    expect(Number(exp) - nowS).toBeLessThan(3900);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(links.check(id, exp, sig, now)).toEqual({ ok: true, expiresAt: Number(exp) });
  });

  it('hands out the same link to views within the same 5 minutes', () => {
    const at = (hhmmss: string) => new Date(`2026-11-23T${hhmmss}Z`);
    expect(links.url(id, at('08:01:00'))).toBe(links.url(id, at('08:04:59')));
    expect(links.url(id, at('08:05:01'))).not.toBe(links.url(id, at('08:04:59')));
  });

  it('refuses the link once it has expired', () => {
    const { exp, sig } = parts(links.url(id, now));
    expect(links.check(id, exp, sig, new Date(Number(exp) * 1000 - 1))).toMatchObject({ ok: true });
    expect(links.check(id, exp, sig, new Date(Number(exp) * 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a link whose id, expiry or signature was changed, or that is malformed', () => {
    const { exp, sig } = parts(links.url(id, now));
    const invalid = { ok: false, reason: 'invalid' };
    expect(links.check('Q3Vx0b1TqzKpE6mYc2Lr8w', exp, sig, now)).toEqual(invalid);
    expect(links.check(id, String(Number(exp) + 300), sig, now)).toEqual(invalid);
    expect(links.check(id, exp, `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, now)).toEqual(invalid);
    for (const [e, s] of [[undefined, sig], [exp, undefined], [[exp], sig], [exp, [sig]], ['-1', sig], ['1e12', sig], [exp, `${sig}=`]]) {
      expect(links.check(id, e, s, now)).toEqual(invalid);
    }
  });

  it('uses a key of its own: another JWT secret gives other signatures', () => {
    const other = new FileLinks(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'another-test-secret-of-length' }));
    const { exp, sig } = parts(links.url(id, now));
    expect(other.check(id, exp, sig, now)).toEqual({ ok: false, reason: 'invalid' });
  });
});
