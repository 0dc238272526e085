import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 9 point 5: the Stripe webhook deliveries ingest accepted, by (source, event id), so a second
// delivery of an event is dropped. received_at is indexed for the retention prune: ingest deletes rows
// older than STRIPE_WEBHOOK_DEDUPE_DAYS (libs/sources/src/webhooks/stripe-webhook-events.store.ts).

export class StripeWebhookEvents1796150000000 implements MigrationInterface {
  name = 'StripeWebhookEvents1796150000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "stripe_webhook_events" (
                "source_id" uuid NOT NULL,
                "event_id" character varying(255) NOT NULL,
                "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_0d7305af2555f460501e0d4d587" PRIMARY KEY ("source_id", "event_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_84f4d4bbdfb2b5bc6169157804" ON "stripe_webhook_events" ("received_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "stripe_webhook_events"
            ADD CONSTRAINT "FK_94f658be9775ef13720235f240c" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "stripe_webhook_events" DROP CONSTRAINT "FK_94f658be9775ef13720235f240c"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_84f4d4bbdfb2b5bc6169157804"
        `);
    await queryRunner.query(`
            DROP TABLE "stripe_webhook_events"
        `);
  }
}
