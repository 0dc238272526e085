import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 14 point 4: the Shopify webhook events ingest accepted, by (source, event id), so a second delivery
// of an event (same X-Shopify-Event-Id) is dropped; received_at is indexed for the retention prune (webhook-events.store.ts). Same
// shape as stripe_webhook_events: one table per app keeps each app's ids and retention apart.

export class ShopifyWebhookEvents1796250000000 implements MigrationInterface {
  name = 'ShopifyWebhookEvents1796250000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "shopify_webhook_events" (
                "source_id" uuid NOT NULL,
                "event_id" character varying(255) NOT NULL,
                "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_1323b90ddb828fbb6bcb804894b" PRIMARY KEY ("source_id", "event_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_a2d970e9b9a540810eacbd92eb" ON "shopify_webhook_events" ("received_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "shopify_webhook_events"
            ADD CONSTRAINT "FK_a625f9e3d5aadf11b573e252cbb" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "shopify_webhook_events" DROP CONSTRAINT "FK_a625f9e3d5aadf11b573e252cbb"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_a2d970e9b9a540810eacbd92eb"
        `);
    await queryRunner.query(`
            DROP TABLE "shopify_webhook_events"
        `);
  }
}
