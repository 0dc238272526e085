import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

// Compared, never reversed: a digest of the sealed (encrypted) credentials changes whenever they are set.
const DIGEST = `encode(sha256(convert_to(c.sealed, 'UTF8')), 'hex')`;

/** Which provider account a source's credentials belong to (`source_provider_accounts`), per credentials. */
@Injectable()
export class SourceAccounts {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The cached account of the source's current credentials (null: look it up), and their digest. */
  async cached(sourceId: string): Promise<{ account: string | null; digest: string }> {
    const [row] = await this.db.query<{ digest: string; account: string | null }[]>(
      `SELECT ${DIGEST} AS digest, a.account
         FROM source_credentials c
         LEFT JOIN source_provider_accounts a ON a.source_id = c.source_id AND a.credentials_digest = ${DIGEST}
        WHERE c.source_id = $1`,
      [sourceId],
    );
    return { account: row?.account ?? null, digest: row?.digest ?? '' };
  }

  async remember(sourceId: string, digest: string, account: string): Promise<void> {
    await this.db.query(
      `INSERT INTO source_provider_accounts (source_id, credentials_digest, account, looked_up_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (source_id) DO UPDATE
         SET credentials_digest = EXCLUDED.credentials_digest, account = EXCLUDED.account, looked_up_at = now()`,
      [sourceId, digest, account],
    );
  }
}
