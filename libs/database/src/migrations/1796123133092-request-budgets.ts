import { MigrationInterface, QueryRunner } from 'typeorm';

// Upstream rate budget (issue 8): one token bucket per provider account, shared by every worker process
// and source on it (not per source), and per source the account its credentials belong to (a cache, purged
// with the source).

export class RequestBudgets1796123133092 implements MigrationInterface {
  name = 'RequestBudgets1796123133092';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "request_budgets" (
                "account" character varying(255) NOT NULL,
                "full_at" TIMESTAMP(6) WITH TIME ZONE,
                CONSTRAINT "PK_b0899db2848fa205fa90bfb6b6e" PRIMARY KEY ("account")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "source_provider_accounts" (
                "source_id" uuid NOT NULL,
                "credentials_digest" character(64) NOT NULL,
                "account" character varying(255) NOT NULL,
                "looked_up_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_f84cc2cc2f16ded78ff3301c22f" PRIMARY KEY ("source_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "source_provider_accounts"
            ADD CONSTRAINT "FK_f84cc2cc2f16ded78ff3301c22f" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "source_provider_accounts" DROP CONSTRAINT "FK_f84cc2cc2f16ded78ff3301c22f"
        `);
    await queryRunner.query(`
            DROP TABLE "source_provider_accounts"
        `);
    await queryRunner.query(`
            DROP TABLE "request_budgets"
        `);
  }
}
