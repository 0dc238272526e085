import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 11 items 3 and 4: the ingestion log. Raw SQL, no entities (libs/ingestion writes both tables in
// batches, as it writes events).
// - ingestion_counters: messages per source, per minute (UTC) and per outcome. Ingest processes add their
//   counts with INSERT … ON CONFLICT DO UPDATE SET count = count + EXCLUDED.count, so two processes' counts
//   add up exactly. The minute index serves retention.
// - ingestion_rejections: every refused item with its reason, offending field and a truncated payload
//   (JSON text cut at 2 KB, `truncated` set). Read per source newest first, optionally by code.
// No foreign keys to sources: the purge empties both (per-source-tables.ts), as it does the events.
export class IngestionLog1796310000000 implements MigrationInterface {
  name = 'IngestionLog1796310000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "ingestion_counters" (
                "source_id" uuid NOT NULL,
                "minute" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status" character varying(16) NOT NULL,
                "count" bigint NOT NULL,
                CONSTRAINT "pk_ingestion_counters" PRIMARY KEY ("source_id", "minute", "status"),
                CONSTRAINT "chk_ingestion_counters_status"
                    CHECK ("status" IN ('accepted', 'duplicate', 'rejected', 'quarantined', 'rate_limited')),
                CONSTRAINT "chk_ingestion_counters_minute" CHECK (date_trunc('minute', "minute") = "minute")
            )
        `);
    await queryRunner.query(`CREATE INDEX "idx_ingestion_counters_minute" ON "ingestion_counters" ("minute")`);
    await queryRunner.query(`
            CREATE TABLE "ingestion_rejections" (
                "id" bigserial NOT NULL,
                "source_id" uuid NOT NULL,
                "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "message_id" character varying(100),
                "code" character varying(32) NOT NULL,
                "field" character varying(200) NOT NULL,
                "reason" text NOT NULL,
                "payload" text NOT NULL,
                "truncated" boolean NOT NULL,
                CONSTRAINT "pk_ingestion_rejections" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "idx_ingestion_rejections_source" ON "ingestion_rejections" ("source_id", "received_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_ingestion_rejections_source_code" ON "ingestion_rejections" ("source_id", "code", "received_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_ingestion_rejections_received" ON "ingestion_rejections" ("received_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ingestion_rejections"`);
    await queryRunner.query(`DROP TABLE "ingestion_counters"`);
  }
}
