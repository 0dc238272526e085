import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 9 point 6 (run health): a successful run records what the previous successful run of its
// (source, object) read, so GraphQL can flag a run that found nothing where that one found many.
// Existing runs have none (null): they are never flagged.

export class SyncRunPreviousRead1796140000000 implements MigrationInterface {
  name = 'SyncRunPreviousRead1796140000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sync_runs"
            ADD "previous_records_read" integer
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sync_runs" DROP COLUMN "previous_records_read"
        `);
  }
}
