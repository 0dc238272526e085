// B1's baseline: a bare Fastify server that acknowledges /v1/track after committing the same rows ingest
// writes (the dedupe key, then the event when the key is new; the same columns and payload) with the same
// group commit (no timer) and the same one-statement commit, into empty tables of the same DDL (a second
// database migrated like the first).
// No auth, validation, normalisation or rate limit: what is left is HTTP, JSON and the commit. Run as its
// own process:
// BASELINE_DATABASE_URL=… node -r ts-node/register bench/ingest/baseline-server.ts
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { GroupCommit } from '../../libs/ingestion/src/group-commit';

const SOURCE_ID = randomUUID();
const DEDUPE_WINDOW_MS = 7 * 86_400_000;
const MAX_GROUP_EVENTS = 10_000;
/** As ingest's (ingestion.service.ts). */
const COMMITS_IN_FLIGHT = 2;

interface Row {
  messageId: string;
  body: Record<string, unknown>;
  receivedAt: string;
}

const pool = new Pool({ connectionString: process.env.BASELINE_DATABASE_URL, max: 2 });

// The same kind of commit as ingest's (event-commit.ts): the dedupe keys and the winners' events in one
// statement, one round trip per group, prepared once per connection.
async function commit(rows: Row[]): Promise<boolean[]> {
  const events = rows.map(({ messageId, body, receivedAt }) => ({
    source_id: SOURCE_ID,
    message_id: messageId,
    type: 'track',
    event: body.event,
    user_id: body.userId,
    timestamp: receivedAt,
    original_timestamp: receivedAt,
    received_at: receivedAt,
    expires_at: new Date(Date.parse(receivedAt) + DEDUPE_WINDOW_MS).toISOString(),
    payload: storedPayload(body, messageId, receivedAt),
  }));
  const { rows: result } = await pool.query<{ won: string[] }>({
    name: 'baseline_commit',
    text: `WITH candidates AS MATERIALIZED (
       SELECT DISTINCT ON (r.message_id) * FROM jsonb_to_recordset($1::jsonb) AS r(
         source_id uuid, message_id text, type text, event text, user_id text, anonymous_id text, group_id text,
         previous_id text, traits jsonb, external_ids jsonb, timestamp timestamptz, original_timestamp timestamptz,
         sent_at timestamptz, received_at timestamptz, expires_at timestamptz, payload jsonb)
        ORDER BY r.message_id
     ),
     keys AS (
       INSERT INTO event_dedupe (source_id, message_id, received_at, expires_at)
       SELECT source_id, message_id, received_at, expires_at FROM candidates ORDER BY message_id
       ON CONFLICT (source_id, message_id) DO NOTHING RETURNING source_id, message_id
     ),
     stored AS (
       INSERT INTO events (source_id, message_id, type, event, user_id, anonymous_id, group_id, previous_id,
                           traits, external_ids, timestamp, original_timestamp, sent_at, received_at, payload)
       SELECT c.source_id, c.message_id, c.type, c.event, c.user_id, c.anonymous_id, c.group_id, c.previous_id,
              c.traits, c.external_ids, c.timestamp, c.original_timestamp, c.sent_at, c.received_at, c.payload
         FROM candidates c JOIN keys k USING (source_id, message_id)
     )
     SELECT coalesce(array_agg(message_id), '{}') AS won FROM keys`,
    values: [JSON.stringify(events)],
  });
  const winners = new Set(result[0].won);
  return rows.map((r) => winners.has(r.messageId));
}

/**
 * The payload ingest stores for the bench's track calls (no timestamp or sentAt sent: both times are the
 * arrival): the body with type, messageId and the four times set. The same row, built without validation.
 */
function storedPayload(body: Record<string, unknown>, messageId: string, receivedAt: string): Record<string, unknown> {
  return Object.assign({}, body, {
    type: 'track',
    messageId,
    timestamp: receivedAt,
    originalTimestamp: receivedAt,
    sentAt: null,
    receivedAt,
  });
}

async function main(): Promise<void> {
  const group = new GroupCommit(commit, MAX_GROUP_EVENTS, COMMITS_IN_FLIGHT);
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
