import { MigrationInterface, QueryRunner } from 'typeorm';

// Data lifecycle (issue 7): a deleted source's data is purged after a grace period; its row stays as a
// tombstone and `purged_at` records when the purge started (from then on restoreSource answers NOT_FOUND).

export class SourcePurgedAt1796119552067 implements MigrationInterface {
  name = 'SourcePurgedAt1796119552067';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sources"
            ADD "purged_at" TIMESTAMP(3) WITH TIME ZONE
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sources" DROP COLUMN "purged_at"
        `);
  }
}
