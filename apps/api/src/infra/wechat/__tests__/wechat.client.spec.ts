import { Global, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ErrorCode } from '@qihu/contracts';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { FakeWechat, startFakeWechat } from '../../../../../../test/fakes/wechat-server';
import { loadConfig } from '../../../config/config';
import { ConfigModule } from '../../../config/config.module';
import { Clock } from '../../clock';
import { AppError } from '../../http/app-error';
import { WechatClient } from '../wechat.client';
import { WechatModule } from '../wechat.module';

const FAKE_SERVER = resolve(__dirname, '../../../../../../test/fakes/wechat-server.js');

class FakeClock extends Clock {
  private at = Date.parse('2026-03-02T08:00:00Z');
  override now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

function clientFor(url: string, overrides: Record<string, string> = {}, clock: Clock = new FakeClock(), timeoutMs?: number) {
  const config = loadConfig({ NODE_ENV: 'test', WECHAT_API_BASE: url, WECHAT_FAKE: 'true', ...overrides });
  return new WechatClient(config, clock, { timeoutMs });
}

/** Resolves to what `promise` rejected with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

function expectAppError(err: unknown, code: ErrorCode, message?: string): void {
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  if (message) expect((err as AppError).message).toBe(message);
}

let fake: FakeWechat;
/** What the client logged during the current test. */
let logged: string[] = [];

beforeAll(async () => {
  fake = await startFakeWechat();
  jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
    logged.push(String(message));
  });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
  logged = [];
});

const tokenFetches = () => fake.requests().filter((r) => r.path === '/cgi-bin/stable_token').length;

describe('WechatModule', () => {
  it('provides a WechatClient from CONFIG and the global Clock', async () => {
    @Global()
    @Module({ providers: [Clock], exports: [Clock] })
    class ClockModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', WECHAT_API_BASE: fake.url })), ClockModule, WechatModule],
    }).compile();
    const session = await moduleRef.get(WechatClient).code2Session('wx-nest');
    expect(session.openid).toBe('o-fake-nest');
    await moduleRef.close();
  });
});

describe('WechatClient.code2Session', () => {
  it('maps wx-<name> to o-fake-<name> and keeps the session key out of serialisation', async () => {
    const session = await clientFor(fake.url).code2Session('wx-alice');
    expect(session).toEqual({ openid: 'o-fake-alice', unionid: 'u-fake-alice' });
    expect(Buffer.from(session.sessionKey, 'base64')).toHaveLength(16);
    expect(JSON.stringify(session)).not.toContain(session.sessionKey);
    expect({ ...session }).not.toHaveProperty('sessionKey');
  });

  it('gives the same openid for a nonce-suffixed code and from another fake process', async () => {
    const other = await startFakeWechat();
    try {
      const again = await clientFor(fake.url).code2Session('wx-alice.2');
      const elsewhere = await clientFor(other.url).code2Session('wx-alice');
      expect(again.openid).toBe('o-fake-alice');
      expect(elsewhere.openid).toBe('o-fake-alice');
      expect((await clientFor(fake.url).code2Session('wx-张三!')).openid).toBe('o-fake-___');
      const hashed = await clientFor(fake.url).code2Session('081abcDEF');
      expect(hashed.openid).toMatch(/^o[\w-]{27}$/);
      expect((await clientFor(other.url).code2Session('081abcDEF')).openid).toBe(hashed.openid);
    } finally {
      await other.close();
    }
  });

  it('refuses a used or invalid code as Unauthenticated', async () => {
    const client = clientFor(fake.url);
    await client.code2Session('wx-bob');
    for (const code of ['wx-bob', 'invalid', '']) {
      expectAppError(await rejection(client.code2Session(code)), ErrorCode.Unauthenticated, '登录凭证无效或已过期，请重新登录');
    }
  });

  it('treats a wrong secret or appid as our fault: a plain Error that does not quote the secret', async () => {
    for (const overrides of [{ WECHAT_SECRET: 'not-the-secret' }, { WECHAT_APPID: 'wx-other' }] as Record<string, string>[]) {
      const err = await rejection(clientFor(fake.url, overrides).code2Session('wx-carol'));
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(AppError);
      expect((err as Error).message).toMatch(/errcode 40(125|013)/);
      expect((err as Error).message).not.toContain('not-the-secret');
    }
    // The refused attempts did not use the code up.
    expect((await clientFor(fake.url).code2Session('wx-carol')).openid).toBe('o-fake-carol');
  });
});

describe('WechatClient.getPhoneNumber', () => {
  it('returns the pure 11-digit number behind a phone code', async () => {
    await expect(clientFor(fake.url).getPhoneNumber('phone-13800138000')).resolves.toBe('13800138000');
  });

  it('refuses a bad or reused phone code as ValidationFailed', async () => {
    const client = clientFor(fake.url);
    await client.getPhoneNumber('phone-13900139000');
    for (const code of ['phone-13900139000', 'phone-123', 'nonsense']) {
      expectAppError(await rejection(client.getPhoneNumber(code)), ErrorCode.ValidationFailed, '手机号授权无效，请重新授权');
    }
  });

  it('fails with a plain Error when the secret is wrong (no access token)', async () => {
    const err = await rejection(clientFor(fake.url, { WECHAT_SECRET: 'wrong' }).getPhoneNumber('phone-13800138000'));
    expect(err).not.toBeInstanceOf(AppError);
    expect((err as Error).message).toContain('40125');
  });
});

describe('access token', () => {
  it('is fetched once for concurrent and later calls', async () => {
    const client = clientFor(fake.url);
    await Promise.all([
      client.getPhoneNumber('phone-13800000001'),
      client.getPhoneNumber('phone-13800000002'),
      client.sendSubscribeMessage({ openid: 'o-fake-a', templateId: 'tpl', data: { thing1: '停电' } }),
    ]);
    await client.getPhoneNumber('phone-13800000003');
    expect(tokenFetches()).toBe(1);
  });

  it('is fetched again, and the call retried once, after WeChat stops accepting it', async () => {
    const client = clientFor(fake.url);
    await client.getPhoneNumber('phone-13800000001');
    fake.expireTokens();
    await expect(client.getPhoneNumber('phone-13800000002')).resolves.toBe('13800000002');
    expect(tokenFetches()).toBe(2);
    expect(fake.requests().filter((r) => r.path === '/wxa/business/getuserphonenumber')).toHaveLength(3);
  });

  it('is refreshed five minutes before it expires, not earlier', async () => {
    const clock = new FakeClock();
    const client = clientFor(fake.url, {}, clock);
    await client.getPhoneNumber('phone-13800000001');
    // The fake rounds the seconds left down, so the token may say 7199 s: keep 2 s of slack.
    clock.advance((7200 - 302) * 1000);
    await client.getPhoneNumber('phone-13800000002');
    expect(tokenFetches()).toBe(1);
    clock.advance(4000);
    await client.getPhoneNumber('phone-13800000003');
    expect(tokenFetches()).toBe(2);
  });
});

describe('WechatClient.sendSubscribeMessage', () => {
  it('sends the message in WeChat shape and returns its msgid exactly', async () => {
    const result = await clientFor(fake.url).sendSubscribeMessage({
      openid: 'o-fake-alice',
      templateId: 'tpl-ticket-assigned',
      page: 'pages/ticket/detail?id=42',
      data: { thing1: '车间停电', time2: '2026-03-02 16:00' },
    });
    const [message] = fake.messages();
    expect(result).toEqual({ sent: true, msgid: message.msgid });
    // WeChat's msgid is above 2^53; a JSON.parse round trip would have changed its digits.
    expect(BigInt(message.msgid)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(message).toMatchObject({
      touser: 'o-fake-alice',
      template_id: 'tpl-ticket-assigned',
      page: 'pages/ticket/detail?id=42',
      data: { thing1: { value: '车间停电' }, time2: { value: '2026-03-02 16:00' } },
      lang: 'zh_CN',
    });
  });

  it('reports a user without a subscription as not_subscribed', async () => {
    const result = await clientFor(fake.url).sendSubscribeMessage({ openid: 'o-fake-nosub-x', templateId: 'tpl', data: { thing1: '停电' } });
    expect(result).toEqual({ sent: false, reason: 'not_subscribed', errcode: 43101, errmsg: expect.stringContaining('user refuse') });
    expect(fake.messages()).toEqual([]);
  });

  it('reports any other refusal as rejected, without throwing', async () => {
    const result = await clientFor(fake.url).sendSubscribeMessage({ openid: 'o-fake-a', templateId: 'tpl', data: { thing1: '一二三四五六七八九十一二三四五六七八九十一' } });
    expect(result).toMatchObject({ sent: false, reason: 'rejected', errcode: 47003 });
  });

  it('throws ServiceUnavailable when WeChat is busy, so the queue retries', async () => {
    const client = clientFor(fake.url);
    fake.setFault('busy');
    expectAppError(
      await rejection(client.sendSubscribeMessage({ openid: 'o-fake-a', templateId: 'tpl', data: { thing1: '停电' } })),
      ErrorCode.ServiceUnavailable,
      '微信服务暂时不可用，请稍后再试',
    );
  });
});

describe('WeChat unreachable', () => {
  it('is ServiceUnavailable at once when nothing listens', async () => {
    const gone = await startFakeWechat();
    await gone.close();
    const started = Date.now();
    expectAppError(await rejection(clientFor(gone.url).code2Session('wx-dave')), ErrorCode.ServiceUnavailable, '微信服务暂时不可用，请稍后再试');
    expectAppError(await rejection(clientFor(gone.url).getPhoneNumber('phone-13800138000')), ErrorCode.ServiceUnavailable);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(logged[0]).toBe('WeChat /sns/jscode2session unavailable: TypeError ECONNREFUSED');
  });

  it('is ServiceUnavailable after the timeout when WeChat does not answer', async () => {
    fake.setFault('stall');
    const started = Date.now();
    expectAppError(await rejection(clientFor(fake.url, {}, new FakeClock(), 200).code2Session('wx-erin')), ErrorCode.ServiceUnavailable);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('logs why, without the URL, the secret or the access token', async () => {
    const client = clientFor(fake.url, {}, new FakeClock(), 200);
    await client.getPhoneNumber('phone-13800000001');
    fake.expireTokens();
    await client.getPhoneNumber('phone-13800000002');
    fake.setFault('stall');
    await rejection(client.code2Session('wx-gina'));
    expect(logged).toEqual([
      expect.stringContaining('refused the cached access token (errcode 40001)'),
      'WeChat /sns/jscode2session unavailable: timed out',
    ]);
    expect(logged.join('\n')).not.toMatch(/wx-demo-secret|fake-at-|access_token=|127\.0\.0\.1/);
  });

  it('is ServiceUnavailable on an HTTP 5xx', async () => {
    fake.setFault('http-500');
    expectAppError(await rejection(clientFor(fake.url).code2Session('wx-frank')), ErrorCode.ServiceUnavailable);
  });
});

describe('fake WeChat server over raw HTTP', () => {
  const post = (path: string, body: unknown) =>
    fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  async function accessToken(): Promise<string> {
    const res = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: 'wx-demo-appid', secret: 'wx-demo-secret' });
    const body = (await res.json()) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(7200);
    return body.access_token;
  }

  it('answers an unknown path with a 404 JSON body', async () => {
    const res = await fetch(`${fake.url}/cgi-bin/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ errcode: 404 });
  });

  it('answers a subscribe message without touser, template_id or data with errcode 47003', async () => {
    const token = await accessToken();
    const full = { touser: 'o-fake-a', template_id: 'tpl', data: { thing1: { value: '停电' } } };
    for (const missing of ['touser', 'template_id', 'data'] as const) {
      const { [missing]: _dropped, ...body } = full;
      const res = await post(`/cgi-bin/message/subscribe/send?access_token=${token}`, body);
      expect(await res.json()).toMatchObject({ errcode: 47003 });
    }
    expect(fake.messages()).toEqual([]);
  });

  it('checks the access token and the credentials', async () => {
    expect(await (await post('/cgi-bin/message/subscribe/send?access_token=forged', {})).json()).toMatchObject({ errcode: 40001 });
    const token = await fetch(`${fake.url}/cgi-bin/token?grant_type=client_credential&appid=wx-demo-appid&secret=bad`);
    expect(await token.json()).toMatchObject({ errcode: 40125 });
    const good = await fetch(`${fake.url}/cgi-bin/token?grant_type=client_credential&appid=wx-demo-appid&secret=wx-demo-secret`);
    expect(await good.json()).toEqual({ access_token: expect.any(String), expires_in: 7200 });
  });

  it('lists sent messages and forgets them on reset, across processes', async () => {
    const token = await accessToken();
    const sent = await post(`/cgi-bin/message/subscribe/send?access_token=${token}`, {
      touser: 'o-fake-a',
      template_id: 'tpl',
      data: { thing1: { value: '停电' } },
    });
    expect(await sent.text()).toMatch(/"msgid":\d{19}\b/);
    const listed = (await (await fetch(`${fake.url}/__fake/messages`)).json()) as Array<{ msgid: unknown; touser: string }>;
    expect(listed).toEqual([expect.objectContaining({ msgid: expect.stringMatching(/^\d{19}$/), touser: 'o-fake-a' })]);
    await post('/__fake/reset', {});
    expect(await (await fetch(`${fake.url}/__fake/messages`)).json()).toEqual([]);
  });

  it('runs as a CLI that prints its URL and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [FAKE_SERVER, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const m = /^fake WeChat listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(String(chunk));
        if (m) done(m[1]);
      });
      child.once('exit', (code) => fail(new Error(`fake exited early with ${code}`)));
    });
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
