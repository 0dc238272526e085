import { MigrationInterface, QueryRunner } from 'typeorm';

// Sync engine v2 (issue 8): the writer upserts a batch in one statement that always probes the primary
// key (libs/sync record-writer.ts). A record's content hash is now computed by Postgres from the jsonb
// payload instead of by the worker from canonical JSON: existing rows are re-hashed the same way, so the
// next sync still counts them unchanged. `changed_at` says when a sync last found a payload new or
// different (null: not since this migration). Down keeps the hashes: an older worker would count each
// row updated once, then agree again.

export class RecordChanges1796130000000 implements MigrationInterface {
  name = 'RecordChanges1796130000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "records"
            ADD "changed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            UPDATE "records" SET "content_hash" = encode(sha256(convert_to("payload"::text, 'UTF8')), 'hex')
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "records" DROP COLUMN "changed_at"
        `);
  }
}
