import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 9 point 6: a full refresh taken while incremental runs kept the object current counts the rows its
// listing inserted, changed or marked deleted that no change in the provider's log explains (drift).
// Null: not measured (not a full refresh, a first sync, or the log no longer holds the changes needed).

export class SyncRunDrift1796200000000 implements MigrationInterface {
  name = 'SyncRunDrift1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_runs" ADD "drift" integer`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_runs" DROP COLUMN "drift"`);
  }
}
