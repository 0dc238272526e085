import { MigrationInterface, QueryRunner } from 'typeorm';

// Sync engine v2 (issue 8): the Temporal run a sync executes now (it changes on continue-as-new; the
// first one stays in temporal_run_id), and when the run last committed progress (a run without progress
// for SYNC_STALL_SECONDS is flagged needsAttention). Existing rows get their start as last progress.

export class SyncRunProgress1796123753400 implements MigrationInterface {
  name = 'SyncRunProgress1796123753400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sync_runs"
            ADD "current_temporal_run_id" character varying(64)
        `);
    await queryRunner.query(`
            ALTER TABLE "sync_runs"
            ADD "last_progress_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now()
        `);
    await queryRunner.query(`
            UPDATE "sync_runs" SET "last_progress_at" = COALESCE("finished_at", "started_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sync_runs" DROP COLUMN "last_progress_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "sync_runs" DROP COLUMN "current_temporal_run_id"
        `);
  }
}
