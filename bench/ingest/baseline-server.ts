// B1's baseline: a bare Fastify server that acknowledges /v1/track after committing the same rows ingest
// writes (the dedupe key, then the event when the key is new) with the same group commit (no timer), into
// empty tables of the same DDL (a second database migrated like the first). No auth, validation,
// normalisation or rate limit: what is left is HTTP, JSON and the commit. Run as its own process:
// BASELINE_DATABASE_URL=… node -r ts-node/register bench/ingest/baseline-server.ts
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { GroupCommit } from '../../libs/ingestion/src/group-commit';

const SOURCE_ID = randomUUID();
const DEDUPE_WINDOW_MS = 7 * 86_400_000;
const MAX_GROUP_EVENTS = 10_000;

interface Row {
  messageId: string;
  body: Record<string, unknown>;
  receivedAt: string;
}

const pool = new Pool({ connectionString: process.env.BASELINE_DATABASE_URL, max: 2 });

async function commit(rows: Row[]): Promise<boolean[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const won = await client.query<{ message_id: string }>(
      `INSERT INTO event_dedupe (source_id, message_id, received_at, expires_at)
       SELECT $1, m, r, r + interval '${DEDUPE_WINDOW_MS} milliseconds'
         FROM unnest($2::text[], $3::timestamptz[]) AS k(m, r) ORDER BY m
       ON CONFLICT (source_id, message_id) DO NOTHING RETURNING message_id`,
      [SOURCE_ID, rows.map((r) => r.messageId), rows.map((r) => r.receivedAt)],
    );
    const winners = new Set(won.rows.map((r) => r.message_id));
    const events = rows
      .filter((r) => winners.has(r.messageId))
      .map(({ messageId, body, receivedAt }) => ({
        source_id: SOURCE_ID,
        message_id: messageId,
        type: 'track',
        event: body.event,
        user_id: body.userId,
        timestamp: body.timestamp ?? receivedAt,
        received_at: receivedAt,
        payload: body,
      }));
    await client.query(
      `INSERT INTO events (source_id, message_id, type, event, user_id, anonymous_id, group_id, previous_id,
                           traits, external_ids, timestamp, original_timestamp, sent_at, received_at, payload)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
         source_id uuid, message_id text, type text, event text, user_id text, anonymous_id text, group_id text,
         previous_id text, traits jsonb, external_ids jsonb, timestamp timestamptz, original_timestamp timestamptz,
         sent_at timestamptz, received_at timestamptz, payload jsonb)`,
      [JSON.stringify(events)],
    );
    await client.query('COMMIT');
    return rows.map((r) => winners.has(r.messageId));
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  const group = new GroupCommit(commit, MAX_GROUP_EVENTS);
  const app = Fastify({ logger: false });
  app.post('/v1/track', async (req) => {
    const body = req.body as Record<string, unknown>;
    const messageId = typeof body.messageId === 'string' ? body.messageId : randomUUID();
    const [accepted] = await group.submit([{ messageId, body, receivedAt: new Date().toISOString() }]);
    return { success: true, status: accepted ? 'accepted' : 'duplicate', messageId };
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`baseline listening on ${address}\n`);
  const stop = (): void =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline failed: ${String(error)}\n`);
  process.exit(1);
});
