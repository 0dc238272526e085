import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 14: slots of provider jobs that run for minutes, limited per account by the provider (Shopify: 5 bulk
// queries per shop), shared by every worker (libs/sync concurrency-leases.service.ts). One row per held slot;
// a row past expires_at is a slot whose worker stopped renewing it, free for the next taker. No foreign key:
// scopes are provider accounts, not sources.

export class ConcurrencyLeases1796260000000 implements MigrationInterface {
  name = 'ConcurrencyLeases1796260000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "concurrency_leases" (
                "scope" text NOT NULL,
                "lease" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "pk_concurrency_leases" PRIMARY KEY ("scope", "lease")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "concurrency_leases"`);
  }
}
