import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 9 point 4 (schedules): each cloud-app source's sync schedule, kept here as well as in its Temporal
// Schedule `schedule:<sourceId>` so a lost schedule can be re-created as it was. Exactly one of the two is
// set for a cloud-app source (the domain validates it); both stay null for event-stream sources.
// Cloud-app sources created before this change get the default, every 60 minutes; the api creates their
// Temporal schedules at boot.

export class SourceSyncSchedule1796170000000 implements MigrationInterface {
  name = 'SourceSyncSchedule1796170000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sources"
            ADD "sync_interval_minutes" integer
        `);
    await queryRunner.query(`
            ALTER TABLE "sources"
            ADD "sync_cron" character varying(200)
        `);
    await queryRunner.query(`
            UPDATE "sources" SET "sync_interval_minutes" = 60 WHERE "kind" IN ('HUBSPOT', 'SHOPIFY', 'STRIPE')
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sources" DROP COLUMN "sync_cron"
        `);
    await queryRunner.query(`
            ALTER TABLE "sources" DROP COLUMN "sync_interval_minutes"
        `);
  }
}
