import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 11 items 1-2: tracking plans' flags, the quarantine and its replays. Raw SQL tables of
// libs/ingestion (set-based writes, like events).
// - events.violations: a FLAG-mode source's violations of the stored event (null: conforming or unchecked).
// - quarantined_events: a BLOCK-mode source's violating events, kept whole (the normalised TrackingEvent as
//   JSON) until expires_at. One row per (source, messageId): a retried request quarantines it once. Status
//   `quarantined` until a replay accepts it (`replayed`). No dedupe key is held meanwhile.
// - quarantine_replays: one row per replayQuarantine request: its filter, the cursor of the page it is at
//   and its counts, written in the same transaction as the page's rows, so a killed worker resumes exactly.
export class TrackingPlans1796300000000 implements MigrationInterface {
  name = 'TrackingPlans1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "violations" jsonb`);
    await queryRunner.query(`
            CREATE TABLE "quarantined_events" (
                "id" bigserial NOT NULL,
                "source_id" uuid NOT NULL,
                "message_id" character varying(100) NOT NULL,
                "type" character varying(16) NOT NULL,
                "event_name" text,
                "event" jsonb NOT NULL,
                "violations" jsonb NOT NULL,
                "plan_version" integer NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'quarantined',
                "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "quarantined_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "replayed_at" TIMESTAMP(3) WITH TIME ZONE,
                "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "pk_quarantined_events" PRIMARY KEY ("id"),
                CONSTRAINT "uq_quarantined_events_message" UNIQUE ("source_id", "message_id"),
                CONSTRAINT "ck_quarantined_events_status" CHECK ("status" IN ('quarantined', 'replayed'))
            )
        `);
    await queryRunner.query(`CREATE INDEX "idx_quarantined_events_source" ON "quarantined_events" ("source_id", "id")`);
    await queryRunner.query(`CREATE INDEX "idx_quarantined_events_expires" ON "quarantined_events" ("expires_at")`);
    await queryRunner.query(`
            CREATE TABLE "quarantine_replays" (
                "id" uuid NOT NULL,
                "source_id" uuid NOT NULL,
                "workflow_id" text NOT NULL,
                "event_name" text,
                "violation_code" text,
                "status" character varying(16) NOT NULL DEFAULT 'running',
                "cursor" bigint NOT NULL DEFAULT 0,
                "scanned" integer NOT NULL DEFAULT 0,
                "replayed" integer NOT NULL DEFAULT 0,
                "still_quarantined" integer NOT NULL DEFAULT 0,
                "started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "finished_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "pk_quarantine_replays" PRIMARY KEY ("id"),
                CONSTRAINT "ck_quarantine_replays_status" CHECK ("status" IN ('running', 'completed'))
            )
        `);
    await queryRunner.query(`CREATE INDEX "idx_quarantine_replays_source" ON "quarantine_replays" ("source_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "quarantine_replays"`);
    await queryRunner.query(`DROP TABLE "quarantined_events"`);
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "violations"`);
  }
}
