import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 10 step 2: one token bucket row per event-stream source, shared by every ingest process. Ingest
// takes tokens with one UPDATE per source per group commit (rate-gate.ts), so two processes side by side
// enforce one limit exactly (the row lock serialises them) without a write per event.
// - tokens: what the bucket held at updated_at (refilled at the source's rate when next read).
// - granted: what the last take granted (returned to the process that made it).
// No foreign key to sources, as for events: the purge empties it (per-source-tables.ts).

export class SourceRateBuckets1796220000000 implements MigrationInterface {
  name = 'SourceRateBuckets1796220000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "source_rate_buckets" (
                "source_id" uuid NOT NULL,
                "tokens" double precision NOT NULL,
                "granted" integer NOT NULL DEFAULT 0,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_source_rate_buckets" PRIMARY KEY ("source_id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "source_rate_buckets"`);
  }
}
