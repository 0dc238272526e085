import { MigrationInterface, QueryRunner } from 'typeorm';

// Cloud-app syncs (issue 4): one row per run with its counts, the resumable cursor per (source, object),
// synced records keyed by external id, and which worker serves each source activity task queue.

export class SyncRunsRecordsState1795669364071 implements MigrationInterface {
  name = 'SyncRunsRecordsState1795669364071';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "records" (
                "source_id" uuid NOT NULL,
                "object" character varying(64) NOT NULL,
                "external_id" character varying(255) NOT NULL,
                "payload" jsonb NOT NULL,
                "content_hash" character(64) NOT NULL,
                "first_seen_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "last_seen_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "seen_run_id" uuid NOT NULL,
                "deleted_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "PK_87f20588c837e132d6fc3341ce4" PRIMARY KEY ("source_id", "object", "external_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_records_seen_run" ON "records" ("source_id", "object", "seen_run_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "source_task_queues" (
                "source_id" uuid NOT NULL,
                "task_queue" character varying(100) NOT NULL,
                "worker_id" character varying(255) NOT NULL,
                "serving_since" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "heartbeat_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_300ce7c1ab81de34f94d8249c83" PRIMARY KEY ("source_id", "worker_id")
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."sync_mode" AS ENUM('FULL_REFRESH', 'INCREMENTAL')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."sync_run_status" AS ENUM('RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')
        `);
    await queryRunner.query(`
            CREATE TABLE "sync_runs" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "source_id" uuid NOT NULL,
                "object" character varying(64) NOT NULL,
                "mode" "public"."sync_mode" NOT NULL,
                "status" "public"."sync_run_status" NOT NULL DEFAULT 'RUNNING',
                "started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "finished_at" TIMESTAMP(3) WITH TIME ZONE,
                "records_read" integer NOT NULL DEFAULT '0',
                "records_inserted" integer NOT NULL DEFAULT '0',
                "records_updated" integer NOT NULL DEFAULT '0',
                "records_unchanged" integer NOT NULL DEFAULT '0',
                "records_deleted" integer NOT NULL DEFAULT '0',
                "pages" integer NOT NULL DEFAULT '0',
                "retries" integer NOT NULL DEFAULT '0',
                "error" character varying(1000),
                "workflow_id" character varying(255) NOT NULL,
                "temporal_run_id" character varying(64) NOT NULL,
                CONSTRAINT "PK_adf13fff41a683b3b991fb90b11" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_sync_runs_source_page" ON "sync_runs" ("source_id", "started_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_sync_runs_temporal_run" ON "sync_runs" ("workflow_id", "temporal_run_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "sync_state" (
                "source_id" uuid NOT NULL,
                "object" character varying(64) NOT NULL,
                "sync_run_id" uuid NOT NULL,
                "cursor" character varying(255),
                "done" boolean NOT NULL DEFAULT false,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_12b8da4223e9ffe6640797b26ca" PRIMARY KEY ("source_id", "object")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "records"
            ADD CONSTRAINT "FK_db2a965dec407f530bcfbaebc1f" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "source_task_queues"
            ADD CONSTRAINT "FK_5950235683a27ce1ea743c1f18d" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sync_runs"
            ADD CONSTRAINT "FK_31f21cf18e84df0ba10fa7fd5a9" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sync_state"
            ADD CONSTRAINT "FK_a15eb1b6c39b7de920c25bb8d32" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sync_state" DROP CONSTRAINT "FK_a15eb1b6c39b7de920c25bb8d32"
        `);
    await queryRunner.query(`
            ALTER TABLE "sync_runs" DROP CONSTRAINT "FK_31f21cf18e84df0ba10fa7fd5a9"
        `);
    await queryRunner.query(`
            ALTER TABLE "source_task_queues" DROP CONSTRAINT "FK_5950235683a27ce1ea743c1f18d"
        `);
    await queryRunner.query(`
            ALTER TABLE "records" DROP CONSTRAINT "FK_db2a965dec407f530bcfbaebc1f"
        `);
    await queryRunner.query(`
            DROP TABLE "sync_state"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_sync_runs_temporal_run"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_sync_runs_source_page"
        `);
    await queryRunner.query(`
            DROP TABLE "sync_runs"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."sync_run_status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."sync_mode"
        `);
    await queryRunner.query(`
            DROP TABLE "source_task_queues"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_records_seen_run"
        `);
    await queryRunner.query(`
            DROP TABLE "records"
        `);
  }
}
