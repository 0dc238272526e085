import { type CloudCredentials, Keyring } from '@app/common';
import { SourceCredentialEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Opens a source's sealed credentials inside an activity; the plaintext never leaves the process. */
@Injectable()
export class CredentialVault {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly keyring: Keyring,
  ) {}

  async open(sourceId: string): Promise<CloudCredentials | null> {
    const row = await this.db.getRepository(SourceCredentialEntity).findOneBy({ sourceId });
    return row ? (JSON.parse(this.keyring.open(row.sealed, sourceId)) as CloudCredentials) : null;
  }
}
