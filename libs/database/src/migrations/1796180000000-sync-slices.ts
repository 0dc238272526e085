import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 9 point 3 (parallel first syncs): a sliced run reads its listing in `created` windows at once,
// each with its own committed cursor and progress. Rows go with their run (and with their source).

export class SyncSlices1796180000000 implements MigrationInterface {
  name = 'SyncSlices1796180000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "sync_slices" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "source_id" uuid NOT NULL,
                "sync_run_id" uuid NOT NULL,
                "index" integer NOT NULL,
                "created_gte" bigint,
                "created_lt" bigint,
                "cursor" character varying(255),
                "done" boolean NOT NULL DEFAULT false,
                "pages" integer NOT NULL DEFAULT 0,
                "records_read" integer NOT NULL DEFAULT 0,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_sync_slices" PRIMARY KEY ("id"),
                CONSTRAINT "uq_sync_slices_run_index" UNIQUE ("sync_run_id", "index"),
                CONSTRAINT "FK_sync_slices_source" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE,
                CONSTRAINT "FK_sync_slices_run" FOREIGN KEY ("sync_run_id") REFERENCES "sync_runs"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(`CREATE INDEX "idx_sync_slices_source" ON "sync_slices" ("source_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sync_slices"`);
  }
}
