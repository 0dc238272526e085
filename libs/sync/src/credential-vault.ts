import { Keyring } from '@app/common';
import type { CloudCredentials } from '@app/connectors';
import { SourceCredentialEntity, SourceEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';

/** Opens a source's sealed credentials inside an activity; the plaintext never leaves the process. */
@Injectable()
export class CredentialVault {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly keyring: Keyring,
  ) {}

  /** Null when none are set; refuses (non-retryable) for a deleted source, whose credentials stay sealed. */
  async open(sourceId: string): Promise<CloudCredentials | null> {
    const source = await this.db
      .getRepository(SourceEntity)
      .findOne({ select: { deletedAt: true }, where: { id: sourceId } });
    if (source?.deletedAt) {
      throw ApplicationFailure.create({
        type: 'SourceDeleted',
        message: 'This source was deleted: its credentials stay sealed until it is restored (restoreSource) or purged',
        nonRetryable: true,
      });
    }
    const row = await this.db.getRepository(SourceCredentialEntity).findOneBy({ sourceId });
    return row ? (JSON.parse(this.keyring.open(row.sealed, sourceId)) as CloudCredentials) : null;
  }
}
