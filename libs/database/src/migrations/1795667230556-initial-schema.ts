import { MigrationInterface, QueryRunner } from 'typeorm';

// Workspaces, API tokens, sources, their write keys and sealed credentials (issue 3).
// Partial unique indexes carry two rules: source names are unique among live sources only,
// and a source has at most one current (non-rotated, non-revoked) write key.

export class InitialSchema1795667230556 implements MigrationInterface {
  name = 'InitialSchema1795667230556';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workspaces" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_098656ae401f3e1a4586f47fd8e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."api_token_role" AS ENUM('ADMIN', 'INTEGRATOR')`);
    await queryRunner.query(
      `CREATE TABLE "api_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "role" "public"."api_token_role" NOT NULL, "secret_hash" character(64) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP(3) WITH TIME ZONE, "revoked_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_api_tokens_workspace" ON "api_tokens"  ("workspace_id", "created_at") `);
    await queryRunner.query(
      `CREATE TYPE "public"."source_kind" AS ENUM('JAVASCRIPT', 'IOS', 'ANDROID', 'NODEJS', 'HTTP_API', 'GTM', 'HUBSPOT', 'SHOPIFY', 'STRIPE')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."source_environment" AS ENUM('PRODUCTION', 'STAGING', 'DEVELOPMENT')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."source_status" AS ENUM('ACTIVE', 'PAUSED', 'DISABLED')`);
    await queryRunner.query(
      `CREATE TABLE "sources" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "description" character varying(500), "kind" "public"."source_kind" NOT NULL, "environment" "public"."source_environment" NOT NULL, "status" "public"."source_status" NOT NULL DEFAULT 'ACTIVE', "tracking_config" jsonb, "rate_limit" jsonb NOT NULL, "identity_settings" jsonb NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_85523beafe5a2a6b90b02096443" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_sources_workspace_page" ON "sources"  ("workspace_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_sources_live_name" ON "sources"  ("workspace_id", "environment", "name") WHERE "deleted_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "source_credentials" ("source_id" uuid NOT NULL, "sealed" text NOT NULL, "key_id" character varying(16) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3d2a1cd7e70f5ab1ab46499f353" PRIMARY KEY ("source_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "source_write_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_id" uuid NOT NULL, "prefix" character varying(32) NOT NULL, "secret_hash" character(64) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP(3) WITH TIME ZONE, "revoked_at" TIMESTAMP(3) WITH TIME ZONE, "last_used_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_2e3d1a398dbb19ce9184bb3e770" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_source_write_keys_prefix" ON "source_write_keys"  ("prefix") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_source_write_keys_current" ON "source_write_keys"  ("source_id") WHERE "revoked_at" IS NULL AND "expires_at" IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_9c644dd21cac1a0e8fca9443373" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sources" ADD CONSTRAINT "FK_9922feffaec592f51261c21d1f2" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "source_credentials" ADD CONSTRAINT "FK_3d2a1cd7e70f5ab1ab46499f353" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "source_write_keys" ADD CONSTRAINT "FK_ddafc92356701ef0962e42e0f3f" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "source_write_keys" DROP CONSTRAINT "FK_ddafc92356701ef0962e42e0f3f"`);
    await queryRunner.query(`ALTER TABLE "source_credentials" DROP CONSTRAINT "FK_3d2a1cd7e70f5ab1ab46499f353"`);
    await queryRunner.query(`ALTER TABLE "sources" DROP CONSTRAINT "FK_9922feffaec592f51261c21d1f2"`);
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_9c644dd21cac1a0e8fca9443373"`);
    await queryRunner.query(`DROP INDEX "public"."uq_source_write_keys_current"`);
    await queryRunner.query(`DROP INDEX "public"."uq_source_write_keys_prefix"`);
    await queryRunner.query(`DROP TABLE "source_write_keys"`);
    await queryRunner.query(`DROP TABLE "source_credentials"`);
    await queryRunner.query(`DROP INDEX "public"."uq_sources_live_name"`);
    await queryRunner.query(`DROP INDEX "public"."idx_sources_workspace_page"`);
    await queryRunner.query(`DROP TABLE "sources"`);
    await queryRunner.query(`DROP TYPE "public"."source_status"`);
    await queryRunner.query(`DROP TYPE "public"."source_environment"`);
    await queryRunner.query(`DROP TYPE "public"."source_kind"`);
    await queryRunner.query(`DROP INDEX "public"."idx_api_tokens_workspace"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
    await queryRunner.query(`DROP TYPE "public"."api_token_role"`);
    await queryRunner.query(`DROP TABLE "workspaces"`);
  }
}
