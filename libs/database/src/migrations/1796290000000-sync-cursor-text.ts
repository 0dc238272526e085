import { MigrationInterface, QueryRunner } from 'typeorm';

// Provider paging cursors outgrew 255 characters: a Shopify bulk cursor names its job, its bulk slot's
// lease and its run (about 250 characters at worst), and one with an updated_at window would pass 255.
// Cursors are opaque to us, so their column takes any length.

export class SyncCursorText1796290000000 implements MigrationInterface {
  name = 'SyncCursorText1796290000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_state" ALTER COLUMN "cursor" TYPE text`);
    await queryRunner.query(`ALTER TABLE "sync_slices" ALTER COLUMN "cursor" TYPE text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_slices" ALTER COLUMN "cursor" TYPE character varying(255)`);
    await queryRunner.query(`ALTER TABLE "sync_state" ALTER COLUMN "cursor" TYPE character varying(255)`);
  }
}
