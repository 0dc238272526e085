import { DomainException, Role } from '@app/common';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';
import { ApiTokensService } from '../api-tokens.service';
import { AuthMessages, unauthenticated } from '../auth.exception';
import { requestOf } from './current-actor.decorator';
import { ROLES_KEY } from './roles.decorator';

/** Authenticates every GraphQL resolver by bearer token and enforces its allowed roles (ADMIN by default). */
@Injectable()
export class GqlAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<GqlContextType>() !== 'graphql') {
      return true; // HTTP routes (health, GraphiQL assets) are public; tracking API authenticates by write key.
    }
    const req = requestOf(context);
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

function bearerToken(header: string | string[] | undefined): string {
  if (header === undefined || header === '') {
    throw unauthenticated(AuthMessages.missing);
  }
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  if (!match) {
    throw unauthenticated(AuthMessages.malformed);
  }
  return match[1];
}
