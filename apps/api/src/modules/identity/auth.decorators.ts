import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '@qihu/contracts';
import type { Request } from 'express';
import { Caller, Scope } from './caller';

export const PUBLIC_KEY = 'qihu:public';
export const ROLES_KEY = 'qihu:roles';

/** No login needed (health, login itself, the demo picker). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only callers acting in one of these roles; any other role gets 403 FORBIDDEN. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export type AuthedRequest = Request & { caller?: Caller };

/** The authenticated caller (set by AuthGuard). */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<AuthedRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a route without AuthGuard');
  return caller;
});

/** The caller's active scope; routes using it must also carry @Roles (so a scope exists). */
export const CurrentScope = createParamDecorator((_: unknown, ctx: ExecutionContext): Scope => {
  const scope = ctx.switchToHttp().getRequest<AuthedRequest>().caller?.scope;
  if (!scope) throw new Error('CurrentScope used on a route without @Roles');
  return scope;
});
