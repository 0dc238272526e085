import { Keyring } from '@app/common';
import { SourceCredentialEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type SealedCredentials, acceptedSecrets, openSealed, rotateWebhookSecret, seal } from './webhook-secrets';

/** Reads and rotates the webhook secrets sealed with a source's credentials; plaintext stays in process. */
@Injectable()
export class WebhookSecretsStore {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly keyring: Keyring,
  ) {}

  /** The source's credentials as sealed (webhook secrets included); null when none are set. */
  async credentials(sourceId: string): Promise<SealedCredentials | null> {
    const row = await this.db.getRepository(SourceCredentialEntity).findOneBy({ sourceId });
    return row ? openSealed(this.keyring, sourceId, row.sealed) : null;
  }

  /** The secrets a delivery to this source may be signed with (current first); empty when none is set. */
  async accepted(sourceId: string): Promise<string[]> {
    return acceptedSecrets((await this.credentials(sourceId))?.webhookSecrets);
  }

  /**
   * Stores `secret` as the current webhook secret (the current one becomes previous). The row is locked,
   * so a concurrent setSourceCredentials neither loses this secret nor is lost. False when the source has
   * no credentials (they were removed meanwhile).
   */
  async rotate(sourceId: string, secret: string): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const repo = em.getRepository(SourceCredentialEntity);
      const row = await repo.findOne({ where: { sourceId }, lock: { mode: 'pessimistic_write' } });
      if (!row) {
        return false;
      }
      const credentials = openSealed(this.keyring, sourceId, row.sealed);
      const next = { ...credentials, webhookSecrets: rotateWebhookSecret(credentials.webhookSecrets, secret) };
      await repo.update(
        { sourceId },
        { sealed: seal(this.keyring, sourceId, next), keyId: this.keyring.activeKeyId, updatedAt: new Date() },
      );
      return true;
    });
  }
}
