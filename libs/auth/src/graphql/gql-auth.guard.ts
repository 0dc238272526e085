import { DomainException, Role } from '@app/common';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';
import { ApiTokensService } from '../api-tokens.service';
import { bearerToken } from '../bearer-token';
import { requestOf } from './current-actor.decorator';
import { ROLES_KEY } from './roles.decorator';

/** Enforces each GraphQL resolver's allowed roles (ADMIN by default) for the request's authenticated actor. */
@Injectable()
export class GqlAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<GqlContextType>() !== 'graphql') {
      return true; // Plain HTTP routes are governed by the route policy (libs/http), not by this guard.
    }
    const req = requestOf(context);
    // Over HTTP the apiToken route policy has authenticated the request already; this covers other transports.
    req.actor ??= await this.tokens.authenticate(bearerToken(req.headers.authorization));
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]) ?? [Role.ADMIN];
    if (!allowed.includes(req.actor.role)) {
      const field = context.getHandler().name;
      throw DomainException.forbidden(
        `${field} requires one of these token roles: ${allowed.join(', ')}; this token is ${req.actor.role}`,
      );
    }
    return true;
  }
}
