import { MigrationInterface, QueryRunner } from 'typeorm';

// Sync engine v2 (issue 8): a record's content hash is now computed by Postgres from the jsonb payload
// (libs/sync record-writer.ts) instead of by the worker from canonical JSON. Existing rows are re-hashed
// the same way, so the next sync still counts them unchanged. Down leaves the hashes: an older worker
// would count each row updated once, then agree again.

export class RecordHashFromJsonb1796130000000 implements MigrationInterface {
  name = 'RecordHashFromJsonb1796130000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            UPDATE "records" SET "content_hash" = encode(sha256(convert_to("payload"::text, 'UTF8')), 'hex')
        `);
  }

  public async down(): Promise<void> {
    // Nothing to undo: see above.
  }
}
