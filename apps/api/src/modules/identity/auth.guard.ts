import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ErrorCode, Role } from '@qihu/contracts';
import { AppError } from '../../infra/http/app-error';
import { AuthedRequest, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { IdentityService } from './identity.service';

export interface AccessTokenClaims {
  sub: number;
  /** The active role assignment, if the person has one. */
  rid: number | null;
}

/**
 * Global guard: every route needs a valid access token unless it is @Public. The role
 * assignment is re-read on every request, so revoking a role takes effect at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly identity: IdentityService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token) throw new AppError(ErrorCode.Unauthenticated);
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch {
      throw new AppError(ErrorCode.Unauthenticated, '登录已过期，请重新登录');
    }
    const caller = await this.identity.callerOf(claims.sub, claims.rid);
    if (!caller) throw new AppError(ErrorCode.Unauthenticated, '登录已失效，请重新登录');
    req.caller = caller;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && (!caller.scope || !roles.includes(caller.scope.role))) {
      throw new AppError(ErrorCode.Forbidden, '当前角色无权进行此操作');
    }
    return true;
  }
}
