import { DomainException, Keyring, type SourceKind, isCloudAppKind } from '@app/common';
import { SourceCredentialEntity } from '@app/database';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, Not } from 'typeorm';
import { type CloudCredentials, validateCredentials, validateWebhookSecret } from './cloud-credentials';
import { findLiveSource } from './source-lookup';
import type { CredentialsStatus } from './source.views';
import {
  type SealedCredentials,
  type WebhookSecrets,
  openSealed,
  rotateWebhookSecret,
  seal,
} from './webhooks/webhook-secrets';

const NOT_SET: CredentialsStatus = { isSet: false, updatedAt: null, keyId: null };

@Injectable()
export class SourceCredentialsService {
  private readonly logger = new Logger(SourceCredentialsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly keyring: Keyring,
  ) {}

  /**
   * Seals and stores credentials (replacing any previous ones); returns only their status. The webhook
   * secrets are kept across a replacement; `webhookSecret`, when given, becomes the current one (the
   * current one is kept as previous, so deliveries signed with either verify during the switch).
   */
  async set(
    workspaceId: string,
    sourceId: string,
    credentials: CloudCredentials,
    webhookSecret?: string,
  ): Promise<CredentialsStatus> {
    return this.db.transaction(async (em) => {
      const source = await findLiveSource(em, workspaceId, sourceId, true);
      if (!isCloudAppKind(source.kind)) {
        throw DomainException.invalid(
          `${source.kind} is an event-stream source: it authenticates with write keys, not credentials`,
        );
      }
      const valid: SealedCredentials = validateCredentials(source.kind, credentials);
      const repo = em.getRepository(SourceCredentialEntity);
      const webhookSecrets = await this.webhookSecrets(em, source.kind, sourceId, webhookSecret);
      const sealed = seal(this.keyring, sourceId, webhookSecrets ? { ...valid, webhookSecrets } : valid);
      await repo.upsert({ sourceId, sealed, keyId: this.keyring.activeKeyId, updatedAt: new Date() }, ['sourceId']);
      return toStatus(await repo.findOneByOrFail({ sourceId }));
    });
  }

  /** The secrets to seal with new credentials: the stored ones, rotated to `given` when it is set. */
  private async webhookSecrets(
    em: EntityManager,
    kind: SourceKind,
    sourceId: string,
    given: string | undefined,
  ): Promise<WebhookSecrets | undefined> {
    if (given !== undefined) {
      validateWebhookSecret(kind, given);
    }
    const row = await em
      .getRepository(SourceCredentialEntity)
      .findOne({ where: { sourceId }, lock: { mode: 'pessimistic_write' } });
    const stored = row ? openSealed(this.keyring, sourceId, row.sealed).webhookSecrets : undefined;
    return given === undefined ? stored : rotateWebhookSecret(stored, given);
  }

  async statusFor(sourceIds: string[]): Promise<Map<string, CredentialsStatus>> {
    const rows = sourceIds.length
      ? await this.db
          .getRepository(SourceCredentialEntity)
          .find({ where: { sourceId: In(sourceIds) }, select: { sourceId: true, keyId: true, updatedAt: true } })
      : [];
    const byId = new Map<string, CredentialsStatus>(sourceIds.map((id) => [id, NOT_SET]));
    rows.forEach((row) => byId.set(row.sourceId, toStatus(row)));
    return byId;
  }

  /** Re-seals every row not under the active key (after adding a new key); returns how many changed. */
  async reencryptAll(batchSize = 100): Promise<number> {
    const repo = this.db.getRepository(SourceCredentialEntity);
    let total = 0;
    for (;;) {
      const rows = await repo.find({
        where: { keyId: Not(this.keyring.activeKeyId) },
        take: batchSize,
        order: { sourceId: 'ASC' },
      });
      if (rows.length === 0) {
        return total;
      }
      for (const row of rows) {
        const plaintext = this.keyring.open(row.sealed, row.sourceId);
        await repo.update(
          { sourceId: row.sourceId, keyId: row.keyId },
          { sealed: this.keyring.seal(plaintext, row.sourceId), keyId: this.keyring.activeKeyId },
        );
      }
      total += rows.length;
      this.logger.log(`re-encrypted ${total} credential rows so far`);
    }
  }
}

function toStatus(row: Pick<SourceCredentialEntity, 'keyId' | 'updatedAt'>): CredentialsStatus {
  return { isSet: true, updatedAt: row.updatedAt, keyId: row.keyId };
}
