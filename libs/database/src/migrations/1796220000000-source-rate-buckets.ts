import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 10 step 2: one token bucket row per event-stream source, shared by every ingest process. Ingest
// takes tokens with one call of take_rate_tokens per source per group of requests (rate-gate.ts), so two
// processes side by side enforce one limit exactly (the row lock serialises them) without a write per
// event. tokens is what the bucket held at updated_at; it refills at the source's rate when next taken.
// No foreign key to sources, as for events: the purge empties it (per-source-tables.ts), and the next
// take starts a full bucket again.
//
// take_rate_tokens(source, burst, rate, totals): totals are the running sums of the costs of the waiting
// requests, in order; it grants the longest prefix that fits (fair to the oldest) and returns what the
// bucket holds after, and the tokens granted. PL/pgSQL so its plans are cached: one round trip, no
// planning of a subquery per call. The row lock (FOR UPDATE) is taken before the clock is read, so the
// refill counts exactly the time since the last take committed.

export class SourceRateBuckets1796220000000 implements MigrationInterface {
  name = 'SourceRateBuckets1796220000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "source_rate_buckets" (
                "source_id" uuid NOT NULL,
                "tokens" double precision NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_source_rate_buckets" PRIMARY KEY ("source_id")
            )
        `);
    await queryRunner.query(`
            CREATE FUNCTION "take_rate_tokens"(p_source uuid, p_burst float8, p_rate float8, p_totals int[])
            RETURNS TABLE (tokens float8, granted int) LANGUAGE plpgsql AS $$
            DECLARE
                held float8;
                since timestamptz;
                at timestamptz;
                available float8;
                total int;
                taken int := 0;
            BEGIN
                SELECT b.tokens, b.updated_at INTO held, since
                  FROM source_rate_buckets b WHERE b.source_id = p_source FOR UPDATE;
                IF NOT FOUND THEN
                    INSERT INTO source_rate_buckets (source_id, tokens, updated_at)
                    VALUES (p_source, p_burst, clock_timestamp()) ON CONFLICT (source_id) DO NOTHING;
                    SELECT b.tokens, b.updated_at INTO held, since
                      FROM source_rate_buckets b WHERE b.source_id = p_source FOR UPDATE;
                END IF;
                at := GREATEST(since, clock_timestamp());
                available := LEAST(p_burst, held + p_rate * EXTRACT(EPOCH FROM at - since));
                FOREACH total IN ARRAY p_totals LOOP
                    EXIT WHEN total > available;
                    taken := total;
                END LOOP;
                UPDATE source_rate_buckets b SET tokens = available - taken, updated_at = at
                 WHERE b.source_id = p_source;
                RETURN QUERY SELECT available - taken, taken;
            END
            $$
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "take_rate_tokens"(uuid, float8, float8, int[])`);
    await queryRunner.query(`DROP TABLE "source_rate_buckets"`);
  }
}
