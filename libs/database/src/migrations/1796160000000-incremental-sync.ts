import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 9 point 2 (incremental syncs from the provider's change log, newest wins):
// - sync_mode gains WEBHOOK (one event applied by id), and sync_runs a `reason` (why the run chose its mode,
//   e.g. a full refresh because the saved position is past the events horizon);
// - sync_state keeps the change position (the last event processed, committed with its rows) and the head
//   a full refresh recorded before listing (promoted to the position when the refresh succeeds);
// - records carry the version of the change last applied to them ((version_at, version_id), compared
//   bytewise: COLLATE "C"), so an older event never overwrites a newer state;
// - a webhook run records one row per object its event touches: the run key includes the object.
// Existing rows have no version (older than any change) and no position (their next run is a full refresh).

export class IncrementalSync1796160000000 implements MigrationInterface {
  name = 'IncrementalSync1796160000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."sync_mode" ADD VALUE IF NOT EXISTS 'WEBHOOK'`);
    await queryRunner.query(`ALTER TABLE "sync_runs" ADD "reason" character varying(500)`);
    await queryRunner.query(`
            ALTER TABLE "sync_state"
            ADD "position_id" character varying(255) COLLATE "C",
            ADD "position_at" bigint,
            ADD "head_id" character varying(255) COLLATE "C",
            ADD "head_at" bigint
        `);
    await queryRunner.query(`
            ALTER TABLE "records"
            ADD "version_at" bigint,
            ADD "version_id" character varying(255) COLLATE "C"
        `);
    await queryRunner.query(`DROP INDEX "public"."uq_sync_runs_temporal_run"`);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_sync_runs_temporal_run" ON "sync_runs" ("workflow_id", "temporal_run_id", "object")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "sync_runs" WHERE "mode" = 'WEBHOOK'`);
    await queryRunner.query(`DROP INDEX "public"."uq_sync_runs_temporal_run"`);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_sync_runs_temporal_run" ON "sync_runs" ("workflow_id", "temporal_run_id")
        `);
    await queryRunner.query(`ALTER TABLE "records" DROP COLUMN "version_at", DROP COLUMN "version_id"`);
    await queryRunner.query(`
            ALTER TABLE "sync_state" DROP COLUMN "position_id", DROP COLUMN "position_at",
            DROP COLUMN "head_id", DROP COLUMN "head_at"
        `);
    await queryRunner.query(`ALTER TABLE "sync_runs" DROP COLUMN "reason"`);
    // Postgres cannot drop an enum value: WEBHOOK stays in sync_mode, unused.
  }
}
