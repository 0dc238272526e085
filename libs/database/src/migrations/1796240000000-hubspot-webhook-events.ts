import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 13 point 5: the HubSpot webhook events ingest accepted, by (source, event id), so a second delivery
// of an event is dropped; received_at is indexed for the retention prune (webhook-events.store.ts). Same
// shape as stripe_webhook_events: one table per app keeps each app's ids and retention apart.

export class HubspotWebhookEvents1796240000000 implements MigrationInterface {
  name = 'HubspotWebhookEvents1796240000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "hubspot_webhook_events" (
                "source_id" uuid NOT NULL,
                "event_id" character varying(255) NOT NULL,
                "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_847b51200859156d604be58447b" PRIMARY KEY ("source_id", "event_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_b8a8d8de2759735e1ee965f7ea" ON "hubspot_webhook_events" ("received_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "hubspot_webhook_events"
            ADD CONSTRAINT "FK_45000db10395add3b56732ebb9c" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "hubspot_webhook_events" DROP CONSTRAINT "FK_45000db10395add3b56732ebb9c"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_b8a8d8de2759735e1ee965f7ea"
        `);
    await queryRunner.query(`
            DROP TABLE "hubspot_webhook_events"
        `);
  }
}
