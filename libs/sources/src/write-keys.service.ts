import { DomainException, SourceStatus, hashSecret, isEventStreamKind, secretMatches } from '@app/common';
import { SourceEntity, SourceWriteKeyEntity, isUniqueViolation } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, IsNull, MoreThan } from 'typeorm';
import { findLiveSource } from './source-lookup';
import { type IssuedWriteKey, type WriteKeyView, WriteKeyStatus } from './source.views';
import { newWriteKey, parseWriteKey } from './write-key.format';

export const DEFAULT_OVERLAP_SECONDS = 86_400;
export const MAX_OVERLAP_SECONDS = 30 * 86_400;
const CURRENT_KEY_CONSTRAINT = 'uq_source_write_keys_current';

/** What ingestion learns from a valid write key. */
export interface VerifiedWriteKey {
  writeKeyId: string;
  sourceId: string;
  workspaceId: string;
  sourceStatus: SourceStatus;
}

@Injectable()
export class WriteKeysService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Issues the first key of a source; CONFLICT when one is already active (rotate it instead). */
  async issue(workspaceId: string, sourceId: string): Promise<IssuedWriteKey> {
    return this.db.transaction(async (em) => {
      await this.lockEventStreamSource(em, workspaceId, sourceId);
      const current = await em
        .getRepository(SourceWriteKeyEntity)
        .findOneBy({ sourceId, revokedAt: IsNull(), expiresAt: IsNull() });
      if (current) {
        throw DomainException.conflict(
          `Source already has an active write key (${current.prefix}); use rotateWriteKey to replace it or revokeWriteKey first`,
        );
      }
      return insertKey(em, sourceId);
    });
  }

  /**
   * Replaces the active key. The old key keeps working for `overlapSeconds` (0 = stops now), so clients
   * can be redeployed; a key still inside an earlier overlap is revoked, so at most two keys are valid.
   */
  async rotate(
    workspaceId: string,
    sourceId: string,
    overlapSeconds = DEFAULT_OVERLAP_SECONDS,
  ): Promise<IssuedWriteKey> {
    if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > MAX_OVERLAP_SECONDS) {
      throw DomainException.invalid(`overlapSeconds must be a whole number from 0 to ${MAX_OVERLAP_SECONDS} (30 days)`);
    }
    return this.db.transaction(async (em) => {
      await this.lockEventStreamSource(em, workspaceId, sourceId);
      const repo = em.getRepository(SourceWriteKeyEntity);
      const current = await repo.findOneBy({ sourceId, revokedAt: IsNull(), expiresAt: IsNull() });
      if (!current) {
        throw DomainException.conflict('Source has no active write key to rotate; issue one with issueWriteKey');
      }
      const now = new Date();
      await repo.update({ sourceId, revokedAt: IsNull(), expiresAt: MoreThan(now) }, { revokedAt: now });
      if (overlapSeconds === 0) {
        current.revokedAt = now;
      } else {
        current.expiresAt = new Date(now.getTime() + overlapSeconds * 1000);
      }
      await repo.save(current);
      return insertKey(em, sourceId);
    });
  }

  async revoke(workspaceId: string, writeKeyId: string): Promise<WriteKeyView> {
    return this.db.transaction(async (em) => {
      const repo = em.getRepository(SourceWriteKeyEntity);
      const key = await repo.findOne({ where: { id: writeKeyId }, lock: { mode: 'pessimistic_write' } });
      const owner = key && (await em.getRepository(SourceEntity).findOneBy({ id: key.sourceId, workspaceId }));
      if (!key || !owner) {
        throw DomainException.notFound('Write key', writeKeyId);
      }
      key.revokedAt ??= new Date();
      return toWriteKeyView(await repo.save(key));
    });
  }

  /** Keys of the given sources, newest first (valid and past ones, for the audit trail). */
  async listForSources(sourceIds: string[]): Promise<Map<string, WriteKeyView[]>> {
    const byId = new Map<string, WriteKeyView[]>(sourceIds.map((id) => [id, []]));
    if (sourceIds.length === 0) {
      return byId;
    }
    const rows = await this.db
      .getRepository(SourceWriteKeyEntity)
      .find({ where: { sourceId: In(sourceIds) }, order: { createdAt: 'DESC', id: 'DESC' } });
    rows.forEach((row) => byId.get(row.sourceId)?.push(toWriteKeyView(row)));
    return byId;
  }

  /** Checks a presented write key; null when unknown, revoked, expired or its source is deleted. */
  async verify(presented: string, now = new Date()): Promise<VerifiedWriteKey | null> {
    const parsed = parseWriteKey(presented);
    if (!parsed) {
      return null;
    }
    const key = await this.db
      .getRepository(SourceWriteKeyEntity)
      .findOne({ where: { prefix: parsed.prefix }, relations: { source: true } });
    if (
      !key?.source ||
      key.source.deletedAt ||
      statusAt(key, now) === WriteKeyStatus.REVOKED ||
      statusAt(key, now) === WriteKeyStatus.EXPIRED
    ) {
      return null;
    }
    if (!secretMatches(parsed.secret, key.secretHash)) {
      return null;
    }
    return {
      writeKeyId: key.id,
      sourceId: key.sourceId,
      workspaceId: key.source.workspaceId,
      sourceStatus: key.source.status,
    };
  }

  private async lockEventStreamSource(em: EntityManager, workspaceId: string, sourceId: string): Promise<void> {
    const source = await findLiveSource(em, workspaceId, sourceId, true);
    if (!isEventStreamKind(source.kind)) {
      throw DomainException.invalid(
        `${source.kind} is a cloud-app source: it syncs with credentials (setSourceCredentials) and has no write keys`,
      );
    }
  }
}

async function insertKey(em: EntityManager, sourceId: string): Promise<IssuedWriteKey> {
  const { prefix, secret, key } = newWriteKey();
  const repo = em.getRepository(SourceWriteKeyEntity);
  try {
    const row = await repo.save(
      repo.create({
        sourceId,
        prefix,
        secretHash: hashSecret(secret),
        expiresAt: null,
        revokedAt: null,
        lastUsedAt: null,
      }),
    );
    return { writeKey: toWriteKeyView(row), secret: key };
  } catch (error) {
    if (isUniqueViolation(error, CURRENT_KEY_CONSTRAINT)) {
      throw DomainException.conflict('Another request changed this source’s write keys at the same time; retry');
    }
    throw error;
  }
}

function statusAt(key: SourceWriteKeyEntity, now: Date): WriteKeyStatus {
  if (key.revokedAt) {
    return WriteKeyStatus.REVOKED;
  }
  if (!key.expiresAt) {
    return WriteKeyStatus.ACTIVE;
  }
  return key.expiresAt > now ? WriteKeyStatus.EXPIRING : WriteKeyStatus.EXPIRED;
}

function toWriteKeyView(row: SourceWriteKeyEntity): WriteKeyView {
  return {
    id: row.id,
    sourceId: row.sourceId,
    prefix: row.prefix,
    status: statusAt(row, new Date()),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}
