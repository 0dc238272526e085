import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 10 step 1: the tracking API's events and their dedupe keys. Raw SQL, no entities: TypeORM does not
// model partitioning, and libs/ingestion writes both tables with set-based SQL (event-store.ts).
// - events: one table for every source, partitioned by day of received_at (UTC). Ingest creates the
//   partitions ahead of time and drops whole partitions past the retention (event-maintenance.ts). The
//   identity columns are plain columns so the identity issue reads them without parsing JSON.
// - event_dedupe: one row per (source, messageId) accepted, kept until expires_at (received_at + the
//   dedupe window), so a retried event is stored once. Not partitioned: the key must be unique per source.
// No foreign key to sources: the purge empties both tables (per-source-tables.ts), and a foreign key
// check per event row would cost on the hot path.

export class TrackingEvents1796190000000 implements MigrationInterface {
  name = 'TrackingEvents1796190000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "events" (
                "id" bigserial NOT NULL,
                "source_id" uuid NOT NULL,
                "message_id" character varying(100) NOT NULL,
                "type" character varying(16) NOT NULL,
                "event" text,
                "user_id" character varying(500),
                "anonymous_id" character varying(500),
                "group_id" character varying(500),
                "previous_id" character varying(500),
                "traits" jsonb,
                "external_ids" jsonb,
                "timestamp" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "original_timestamp" TIMESTAMP(3) WITH TIME ZONE,
                "sent_at" TIMESTAMP(3) WITH TIME ZONE,
                "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "payload" jsonb NOT NULL,
                CONSTRAINT "pk_events" PRIMARY KEY ("received_at", "id")
            ) PARTITION BY RANGE ("received_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_events_source_received" ON "events" ("source_id", "received_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "event_dedupe" (
                "source_id" uuid NOT NULL,
                "message_id" character varying(100) NOT NULL,
                "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "pk_event_dedupe" PRIMARY KEY ("source_id", "message_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_event_dedupe_expires" ON "event_dedupe" ("expires_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "event_dedupe"`);
    // Drops every partition with it.
    await queryRunner.query(`DROP TABLE "events"`);
  }
}
