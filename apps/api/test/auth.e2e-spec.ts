import { ErrorCode, Role } from '@qihu/contracts';
import request from 'supertest';
import { IsNull } from 'typeorm';
import { Person } from '../src/modules/identity/person.entity';
import { RoleAssignment } from '../src/modules/identity/role-assignment.entity';
import { startFakeWechat } from '../../../test/fakes/wechat-server';
import type { FakeWechat } from '../../../test/fakes/wechat-server';
import { startTestApp, TestApp } from './harness';

/** Logins through the fake WeChat server over real HTTP, sessions, roles and invitations. */
describe('auth and people (e2e)', () => {
  let t: TestApp;
  let wechat: FakeWechat;
  let nonce = 0;
  const code = (name: string) => `wx-${name}.${++nonce}`;
  const phoneCode = (phone: string) => `phone-${phone}.${++nonce}`;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    wechat = await startFakeWechat();
    t = await startTestApp({ WECHAT_API_BASE: wechat.url, LOGIN_RATE_LIMIT: '5' });
  });

  afterAll(async () => {
    await t?.close();
    await wechat?.close();
  });

  /** A fresh login budget (counters are per client address, and refreshes count too). */
  const resetLoginBudget = async () => {
    const keys = await t.redis.keys(`${t.config.queuePrefix}:throttle:*`);
    if (keys.length) await t.redis.del(...keys);
  };
  beforeEach(resetLoginBudget);

  const login = (name: string) => http().post('/api/v1/auth/wechat-login').send({ code: code(name) });

  it('logs a new WeChat user in without roles until a phone is bound', async () => {
    const res = await login('newcomer').expect(200);
    expect(res.body).toMatchObject({ expiresIn: 900, me: { name: '微信用户', roles: [], activeRole: null, needsPhone: true, linked: true } });
    expect(JSON.stringify(res.body)).not.toMatch(/session_?key/i);
    const person = await t.db.getRepository(Person).findOneByOrFail({ openid: 'o-fake-newcomer' });
    expect(person.phone).toBeNull();
    // A role-less session reaches its profile, not community data.
    await http().get('/api/v1/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    const firms = await http().get('/api/v1/firms').set('Authorization', `Bearer ${res.body.accessToken}`).expect(403);
    expect(firms.body.code).toBe(ErrorCode.Forbidden);
  });

  it('logs the same WeChat user into the same person again', async () => {
    const first = await login('repeat').expect(200);
    const second = await login('repeat').expect(200);
    expect(second.body.me.id).toBe(first.body.me.id);
  });

  it('refuses an invalid or reused login code with 401 in Chinese', async () => {
    const res = await http().post('/api/v1/auth/wechat-login').send({ code: 'invalid' }).expect(401);
    expect(res.body).toEqual({ code: ErrorCode.Unauthenticated, message: '登录凭证无效或已过期，请重新登录' });
    const once = code('once');
    await http().post('/api/v1/auth/wechat-login').send({ code: once }).expect(200);
    await http().post('/api/v1/auth/wechat-login').send({ code: once }).expect(401);
  });

  it('links an invited staff member on first login with the invited phone, with their roles', async () => {
    const admin = await t.as(Role.CommunityAdmin);
    const grid = (await http().get('/api/v1/grids').set('Authorization', admin.auth).expect(200)).body[1];
    const invited = await http()
      .post('/api/v1/people/invitations')
      .set('Authorization', admin.auth)
      .send({ name: '新网格员', phone: '13812345678', role: Role.GridMember, gridId: grid.id })
      .expect(201);
    expect(invited.body).toMatchObject({ name: '新网格员', phone: '13812345678', linked: false });
    const again = await http()
      .post('/api/v1/people/invitations')
      .set('Authorization', admin.auth)
      .send({ name: '新网格员', phone: '13812345678', role: Role.GridMember, gridId: grid.id })
      .expect(200);
    expect(again.body.roles).toHaveLength(1);

    const session = await login('staffer').expect(200);
    const bound = await http()
      .post('/api/v1/auth/bind-phone')
      .set('Authorization', `Bearer ${session.body.accessToken}`)
      .send({ phoneCode: phoneCode('13812345678') })
      .expect(200);
    expect(bound.body.me).toMatchObject({ id: invited.body.id, name: '新网格员', needsPhone: false, linked: true });
    expect(bound.body.me.activeRole).toMatchObject({ role: Role.GridMember, gridId: grid.id, scopeLabel: `${grid.name} · 专职网格员` });
    const firms = await http().get('/api/v1/firms').set('Authorization', `Bearer ${bound.body.accessToken}`).expect(200);
    expect(firms.body.every((f: { gridId: number }) => f.gridId === grid.id)).toBe(true);
    // Next time, WeChat alone finds the invited person.
    expect((await login('staffer').expect(200)).body.me.id).toBe(invited.body.id);
  });

  it('refuses a phone already bound to another WeChat account', async () => {
    const a = await login('phone-owner').expect(200);
    await http().post('/api/v1/auth/bind-phone').set('Authorization', `Bearer ${a.body.accessToken}`).send({ phoneCode: phoneCode('13700001111') }).expect(200);
    const b = await login('phone-thief').expect(200);
    const res = await http().post('/api/v1/auth/bind-phone').set('Authorization', `Bearer ${b.body.accessToken}`).send({ phoneCode: phoneCode('13700001111') }).expect(409);
    expect(res.body.code).toBe(ErrorCode.AlreadyExists);
    expect((await t.db.getRepository(Person).findOneByOrFail({ openid: 'o-fake-phone-thief' })).phone).toBeNull();
  });

  it('rotates refresh tokens and revokes the whole family when a used one comes back', async () => {
    const first = (await login('rotator').expect(200)).body;
    const second = (await http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const replay = await http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(replay.body.code).toBe(ErrorCode.RefreshTokenInvalid);
    // The stolen copy was detected: the legitimate newer token is dead too.
    await http().post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
  });

  it('revokes the family even when a replayed token races the legitimate refresh', async () => {
    for (let round = 0; round < 5; round++) {
      await resetLoginBudget();
      const s = (await login(`racer${round}`).expect(200)).body;
      const answers = await Promise.all(
        [1, 2, 3, 4].map(() => http().post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken })),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      const survivor = answers.find((a) => a.status === 200)!.body.refreshToken;
      await http().post('/api/v1/auth/refresh').send({ refreshToken: survivor }).expect(401);
    }
  });

  it('logs out: the refresh token stops working', async () => {
    const s = (await login('leaver').expect(200)).body;
    await http().post('/api/v1/auth/logout').send({ refreshToken: s.refreshToken }).expect(204);
    await http().post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
  });

  it('switches between the roles a person holds, and refuses a role that is not theirs', async () => {
    const admin = await t.as(Role.CommunityAdmin);
    const firm = (await http().get('/api/v1/firms').set('Authorization', admin.auth).expect(200)).body[0];
    const leader = await t.as(Role.GridLeader, { gridId: firm.gridId });
    // The grid leader is also made the firm's contact: two roles, one person.
    await http()
      .post('/api/v1/people/invitations')
      .set('Authorization', admin.auth)
      .send({ name: '兼任', phone: (await t.db.getRepository(Person).findOneByOrFail({ id: leader.personId })).phone, role: Role.FirmContact, firmId: firm.id })
      .expect(201);
    const me = (await http().get('/api/v1/me').set('Authorization', leader.auth).expect(200)).body;
    expect(me.roles.map((r: { role: Role }) => r.role).sort()).toEqual([Role.FirmContact, Role.GridLeader]);
    const asContact = me.roles.find((r: { role: Role }) => r.role === Role.FirmContact);
    const switched = await http().post('/api/v1/auth/switch-role').set('Authorization', leader.auth).send({ roleAssignmentId: asContact.id }).expect(200);
    expect(switched.body.me.activeRole.id).toBe(asContact.id);
    await http().get('/api/v1/intake/defaults').set('Authorization', `Bearer ${switched.body.accessToken}`).expect(200);
    const someoneElses = await t.db.getRepository(RoleAssignment).findOneByOrFail({ role: Role.DeptStaff, revokedAt: IsNull() });
    const res = await http().post('/api/v1/auth/switch-role').set('Authorization', leader.auth).send({ roleAssignmentId: someoneElses.id }).expect(404);
    expect(res.body.code).toBe(ErrorCode.RoleAssignmentNotFound);
  });

  it('takes a revoked role away at once, even from a live access token', async () => {
    const admin = await t.as(Role.CommunityAdmin);
    const member = await t.as(Role.GridPartTime);
    await http().get('/api/v1/grids').set('Authorization', member.auth).expect(200);
    await http().delete(`/api/v1/role-assignments/${member.assignment.id}`).set('Authorization', admin.auth).expect(204);
    const res = await http().get('/api/v1/grids').set('Authorization', member.auth).expect(401);
    expect(res.body.code).toBe(ErrorCode.Unauthenticated);
  });

  it('refuses invitations whose role and scope do not fit, writing nothing', async () => {
    const admin = await t.as(Role.CommunityAdmin);
    const people = await t.db.getRepository(Person).count();
    const noScope = await http().post('/api/v1/people/invitations').set('Authorization', admin.auth).send({ name: '某人', phone: '13900009999', role: Role.GridLeader }).expect(400);
    expect(noScope.body.details.fields).toEqual([{ field: 'gridId', reason: '网格长须指定' }]);
    const badPhone = await http().post('/api/v1/people/invitations').set('Authorization', admin.auth).send({ name: '某人', phone: '12345678901', role: Role.CommunityAdmin }).expect(400);
    expect(badPhone.body.message).toBe('手机号格式不正确');
    expect(await t.db.getRepository(Person).count()).toBe(people);
  });

  it('rate-limits logins per client address with 429 RATE_LIMITED', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login(`burst${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const res = await login('burst-last').expect(429);
    expect(res.body).toEqual({ code: ErrorCode.RateLimited, message: '操作过于频繁，请稍后再试' });
  });

  it('rejects a forged or expired access token', async () => {
    const res = await http().get('/api/v1/me').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.forged').expect(401);
    expect(res.body).toEqual({ code: ErrorCode.Unauthenticated, message: '登录已过期，请重新登录' });
  });
});

describe('demo login outside the demo (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ WECHAT_FAKE: 'false' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('does not exist unless the fake WeChat is configured', async () => {
    await request(t.app.getHttpServer()).get('/api/v1/auth/demo-people').expect(404);
    const res = await request(t.app.getHttpServer()).post('/api/v1/auth/demo-login').send({ personId: 1 }).expect(404);
    expect(res.body.code).toBe(ErrorCode.NotFound);
  });
});
