import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DemoPerson, ErrorCode, Session } from '@qihu/contracts';
import { createHash, randomBytes } from 'node:crypto';
import { EntityManager, IsNull } from 'typeorm';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { isDuplicateKey } from '../../infra/database/errors';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { WechatClient } from '../../infra/wechat/wechat.client';
import { AccessTokenClaims } from './auth.guard';
import { Caller } from './caller';
import { IdentityService } from './identity.service';
import { Person } from './person.entity';
import { RefreshToken } from './refresh-token.entity';
import { RoleAssignment } from './role-assignment.entity';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Logins, sessions and role switching. Access tokens are JWTs; refresh tokens rotate. */
@Injectable()
export class AuthService {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly wechat: WechatClient,
    private readonly identity: IdentityService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** wx.login code → session. A first-time openid becomes a person who still has to bind a phone. */
  async wechatLogin(code: string): Promise<Session> {
    const { openid, unionid } = await this.wechat.code2Session(code);
    const now = this.clock.now();
    const known = await this.transactions.manager.findOneBy(Person, { openid });
    if (known) return this.startSession(known.id, null);
    try {
      const { identifiers } = await this.transactions.manager.insert(Person, {
        name: '微信用户', phone: null, openid, unionid: unionid ?? null, createdAt: now, updatedAt: now,
      });
      return this.startSession(Number(identifiers[0].id), null);
    } catch (err) {
      // Two first logins of one WeChat user at once: the loser finds the winner's person.
      const winner = isDuplicateKey(err) ? await this.transactions.manager.findOneBy(Person, { openid }) : null;
      if (!winner) throw err;
      return this.startSession(winner.id, null);
    }
  }

  /**
   * Binds the phone WeChat vouches for. If staff were invited with that phone, this WeChat
   * account becomes that invited person (the invitation is how staff get their roles).
   */
  async bindPhone(caller: Caller, phoneCode: string): Promise<Session> {
    const phone = await this.wechat.getPhoneNumber(phoneCode);
    const now = this.clock.now();
    const personId = await this.transactions.run(async ({ manager }) => {
      const me = await manager.findOneOrFail(Person, { where: { id: caller.personId }, lock: { mode: 'pessimistic_write' } });
      if (me.phone === phone) return me.id;
      const owner = await manager.findOne(Person, { where: { phone }, lock: { mode: 'pessimistic_write' } });
      if (!owner) {
        await manager.update(Person, { id: me.id }, { phone, updatedAt: now });
        return me.id;
      }
      if (owner.openid && owner.openid !== me.openid) {
        throw new AppError(ErrorCode.AlreadyExists, '该手机号已绑定其他微信账号，请联系社区管理员');
      }
      // The invited person takes over this WeChat account; the placeholder keeps no login.
      const { openid, unionid } = me;
      await manager.update(Person, { id: me.id }, { openid: null, unionid: null, updatedAt: now });
      await manager.update(Person, { id: owner.id }, { openid, unionid, updatedAt: now });
      await manager.update(RefreshToken, { personId: me.id, revokedAt: IsNull() }, { revokedAt: now });
      return owner.id;
    });
    return this.startSession(personId, null);
  }

  async switchRole(caller: Caller, roleAssignmentId: number): Promise<Session> {
    const assignment = await this.identity.activeAssignment(caller.personId, roleAssignmentId);
    if (!assignment) throw new AppError(ErrorCode.RoleAssignmentNotFound);
    return this.startSession(caller.personId, assignment.id);
  }

  /**
   * Single-use refresh: a token presented twice means a copy is in someone else's hands, so
   * the whole family (every token from that login) is revoked.
   */
  async refresh(refreshToken: string): Promise<Session> {
    const now = this.clock.now();
    const next = await this.transactions.run(async ({ manager }) => {
      const row = await manager.findOne(RefreshToken, {
        where: { tokenHash: sha256(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.revokedAt || row.expiresAt <= now) throw new AppError(ErrorCode.RefreshTokenInvalid);
      if (row.usedAt) {
        await manager.update(RefreshToken, { family: row.family, revokedAt: IsNull() }, { revokedAt: now });
        return null;
      }
      await manager.update(RefreshToken, { id: row.id }, { usedAt: now });
      const rid =
        row.roleAssignmentId && (await manager.existsBy(RoleAssignment, { id: row.roleAssignmentId, personId: row.personId, revokedAt: IsNull() }))
          ? row.roleAssignmentId
          : null;
      // The successor is written in this same transaction: a replay of the old token that
      // waited on the row lock then revokes the family including it.
      const successor = await this.issueRefreshToken(manager, row.personId, rid, row.family);
      return { personId: row.personId, rid, successor };
    });
    if (!next) throw new AppError(ErrorCode.RefreshTokenInvalid, '登录凭证已被使用，为安全起见请重新登录');
    return this.session(next.personId, next.rid, next.successor);
  }

  async logout(refreshToken: string): Promise<void> {
    const row = await this.transactions.manager.findOneBy(RefreshToken, { tokenHash: sha256(refreshToken) });
    if (row) await this.transactions.manager.update(RefreshToken, { family: row.family, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /** Demo only (fake WeChat configured): the seeded people to pick from. */
  async demoPeople(): Promise<DemoPerson[]> {
    this.assertDemo();
    const people = await this.transactions.manager
      .createQueryBuilder(Person, 'p')
      .where('p.id IN (SELECT ra.person_id FROM role_assignment ra WHERE ra.revoked_at IS NULL)')
      .orderBy('p.id', 'ASC')
      .getMany();
    const views = await this.identity.personViews(people, false);
    return views.map((v) => ({
      id: v.id,
      name: v.name,
      roles: v.roles.map((r) => r.roleLabel),
      scopes: v.roles.map((r) => r.scopeLabel),
    }));
  }

  async demoLogin(personId: number): Promise<Session> {
    this.assertDemo();
    await this.identity.requirePerson(personId);
    return this.startSession(personId, null);
  }

  private assertDemo(): void {
    if (!this.config.wechat.fake) throw new AppError(ErrorCode.NotFound);
  }

  /** New access token and a new refresh token in a new family. */
  private async startSession(personId: number, roleAssignmentId: number | null): Promise<Session> {
    const rid = roleAssignmentId ?? (await this.identity.activeAssignments(personId))[0]?.id ?? null;
    const refreshToken = await this.issueRefreshToken(this.transactions.manager, personId, rid);
    return this.session(personId, rid, refreshToken);
  }

  /** Stores a single-use refresh token (its sha256) and returns the token itself. */
  private async issueRefreshToken(manager: EntityManager, personId: number, rid: number | null, family?: string): Promise<string> {
    const refreshToken = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await manager.insert(RefreshToken, {
      personId,
      roleAssignmentId: rid,
      family: family ?? randomBytes(16).toString('hex'),
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(now.getTime() + this.config.auth.refreshTtlMs),
      usedAt: null,
      revokedAt: null,
      createdAt: now,
    });
    return refreshToken;
  }

  private async session(personId: number, rid: number | null, refreshToken: string): Promise<Session> {
    const claims: AccessTokenClaims = { sub: personId, rid };
    return {
      accessToken: await this.jwt.signAsync(claims),
      expiresIn: this.config.auth.accessTtlSeconds,
      refreshToken,
      me: await this.identity.me(personId, rid),
    };
  }
}
