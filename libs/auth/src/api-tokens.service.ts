import { type Actor, DomainException, Role, hashSecret, newSecret, secretMatches } from '@app/common';
import { ApiTokenEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { formatApiToken, parseApiToken } from './api-token.format';
import { AuthMessages, unauthenticated } from './auth.exception';

// last_used_at is a hint, not an audit log: write it at most once a minute per token.
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface IssuedApiToken {
  token: ApiTokenView;
  secret: string;
}

@Injectable()
export class ApiTokensService {
  constructor(@InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>) {}

  async create(workspaceId: string, name: string, role: Role): Promise<IssuedApiToken> {
    const secret = newSecret();
    const row = await this.tokens.save(
      this.tokens.create({
        workspaceId,
        name: name.trim(),
        role,
        secretHash: hashSecret(secret),
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    return { token: toView(row), secret: formatApiToken(row.id, secret) };
  }

  async list(workspaceId: string, includeRevoked: boolean): Promise<ApiTokenView[]> {
    const rows = await this.tokens.find({
      where: includeRevoked ? { workspaceId } : { workspaceId, revokedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(toView);
  }

  /** Revokes a token of the workspace; refuses to leave the workspace without an active admin token. */
  async revoke(workspaceId: string, id: string): Promise<ApiTokenView> {
    return this.tokens.manager.transaction(async (em) => {
      const repo = em.getRepository(ApiTokenEntity);
      const row = await repo.findOne({ where: { id, workspaceId }, lock: { mode: 'pessimistic_write' } });
      if (!row) {
        throw DomainException.notFound('API token', id);
      }
      if (row.revokedAt) {
        return toView(row);
      }
      if (row.role === Role.ADMIN) {
        // Lock the workspace's admin tokens so two concurrent revocations cannot both pass this check.
        const admins = await repo.find({
          where: { workspaceId, role: Role.ADMIN, revokedAt: IsNull() },
          lock: { mode: 'pessimistic_write' },
        });
        if (admins.length <= 1) {
          throw DomainException.conflict(
            'This is the last active ADMIN token of the workspace; create another ADMIN token first',
          );
        }
      }
      row.revokedAt = new Date();
      return toView(await repo.save(row));
    });
  }

  /** Resolves a bearer token to its actor, or throws UNAUTHENTICATED with what to fix. */
  async authenticate(rawToken: string): Promise<Actor> {
    const parsed = parseApiToken(rawToken);
    if (!parsed) {
      throw unauthenticated(AuthMessages.malformed);
    }
    const row = await this.tokens.findOne({ where: { id: parsed.id } });
    if (!row || row.revokedAt || !secretMatches(parsed.secret, row.secretHash)) {
      throw unauthenticated(AuthMessages.invalid);
    }
    await this.touch(row);
    return { workspaceId: row.workspaceId, tokenId: row.id, role: row.role };
  }

  private async touch(row: ApiTokenEntity): Promise<void> {
    const now = Date.now();
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.tokens.update({ id: row.id }, { lastUsedAt: new Date(now) });
    }
  }
}

function toView(row: ApiTokenEntity): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
