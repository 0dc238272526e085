// B2: /v1/batch of 100 events at concurrency 8, events/s divided by one COPY of the same rows into an empty
// events table of the same DDL. Also measured, to show where the ratio goes: ingest's own commit
// (event-store.ts, on the path a group of 8 batches takes: COPY from COPY_MIN_EVENTS on, else the one
// statement; 2 groups in flight as ingest runs them) fed the same events already validated, straight into
// Postgres with no HTTP and no parsing; and the cheapest write the dedupe design allows (keys by INSERT …
// ON CONFLICT, then COPY of the events), Postgres alone.
import { buildDataSourceOptions } from '@app/database';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { COPY_MIN_EVENTS, EventStore } from '../../libs/ingestion/src/event-store';
import { normalizeMessage } from '../../libs/ingestion/src/tracking-message';
import { type BenchContext, type RatioCase, round2 } from '../lib/harness';
import { copyIn } from '../sync/baseline';
import { type LoadResult, failOnErrors, runLoad } from './load';

const B2_CONCURRENCY = 8;
const B2_BATCH = 100;
const B2_BATCHES = Number(process.env.BENCH_INGEST_B2_BATCHES ?? 400);
const DEDUPE_WINDOW_MS = 7 * 86_400_000;

export interface B2Case extends RatioCase {
  higherIsBetter: true;
  events: number;
  ingest: LoadResult & { eventsPerSecond: number };
  copy: Throughput;
  /**
   * Ingest's commit alone (EventStore) on the same rows, in B2's groups: its events/s, its ratio to the COPY,
   * and the path those groups take.
   */
  commitOnly: Throughput & { ratioToCopy: number; path: 'copy' | 'statement' };
  /**
   * The cheapest write the dedupe design allows, in Postgres alone: per group, the dedupe keys by
   * INSERT … ON CONFLICT DO NOTHING, then a COPY of the same events (text prepared beforehand), in one
   * transaction, two groups in flight. Its ratio to the COPY bounds what any ingest can reach.
   */
  dedupeKeysThenCopy: Throughput & { ratioToCopy: number };
}

interface Throughput {
  seconds: number;
  eventsPerSecond: number;
}

export async function runB2(
  ctx: BenchContext,
  ingest: { url: string; headers: Record<string, string>; pid?: number },
  baselineUrl: string,
): Promise<B2Case> {
  ctx.step(`B2 /v1/batch of ${B2_BATCH} at concurrency ${B2_CONCURRENCY}`);
  const batches = Array.from({ length: B2_BATCHES }, (_, n) => batchEvents(n));
  const b2 = await runLoad({
    url: ingest.url,
    path: '/v1/batch',
    headers: ingest.headers,
    body: (n) => JSON.stringify({ batch: batches[n] }),
    concurrency: B2_CONCURRENCY,
    total: B2_BATCHES,
    serverPid: ingest.pid,
  });
  failOnErrors(b2);
  const events = b2.requests * B2_BATCH;
  const copy = await copyBaseline(baselineUrl, batches.flat());
  const commit = await commitOnly(baselineUrl, batches.flat());
  const floor = await keysThenCopy(baselineUrl, batches.flat());
  const ratio = round2(events / b2.seconds / copy.eventsPerSecond);
  ctx.log(
    `B2: ingest ${round2(events / b2.seconds)} events/s, COPY ${copy.eventsPerSecond} events/s, ` +
      `ingest's commit alone (${commit.path}) ${commit.eventsPerSecond} events/s, ` +
      `keys + COPY ${floor.eventsPerSecond} events/s`,
  );
  return {
    name: `B2 /v1/batch of ${B2_BATCH}, concurrency ${B2_CONCURRENCY}`,
    higherIsBetter: true,
    ratioDefinition: 'ingest events/s ÷ one COPY of the same rows into an empty events table (same DDL)',
    ratio,
    target: 0.85,
    meets: ratio >= 0.85,
    events,
    ingest: { ...b2, eventsPerSecond: round2(events / b2.seconds) },
    copy,
    commitOnly: { ...commit, ratioToCopy: round2(commit.eventsPerSecond / copy.eventsPerSecond) },
    dedupeKeysThenCopy: { ...floor, ratioToCopy: round2(floor.eventsPerSecond / copy.eventsPerSecond) },
  };
}

function batchEvents(n: number): Record<string, unknown>[] {
  const at = new Date().toISOString();
  return Array.from({ length: B2_BATCH }, (_, i) => ({
    type: 'track',
    userId: `user-${i % 97}`,
    event: 'Order Completed',
    messageId: `batch-${n}-${i}`,
    timestamp: at,
    properties: { orderId: `${n}-${i}`, total: 42.5, currency: 'EUR', items: 3 },
  }));
}

/**
 * The events validated as ingest validates them, then committed by ingest's EventStore (the path it picks
 * for the group's size) into the emptied tables, in groups of what 8 concurrent batches make, two groups in
 * flight: Postgres's share of B2, with the commit's own JavaScript.
 */
async function commitOnly(
  databaseUrl: string,
  raw: Record<string, unknown>[],
): Promise<Throughput & { path: 'copy' | 'statement' }> {
  const ds = await new DataSource(
    buildDataSourceOptions({ url: databaseUrl, poolSize: 2, applicationName: 'tributary-bench' }),
  ).initialize();
  try {
    await ds.query('TRUNCATE events, event_dedupe');
    const sourceId = randomUUID();
    const receivedAt = new Date();
    const events = raw.map((r) => {
      const result = normalizeMessage(r, { receivedAt });
      if (!result.ok) {
        throw new Error(`B2 event refused: ${result.reason}`);
      }
      return { sourceId, event: result.event };
    });
    const store = new EventStore(ds);
    const groups = groupsOf(events);
    const seconds = await twoInFlight(groups, async (group) => {
      await store.commitGated(group);
    });
    const path = groups[0].length >= COPY_MIN_EVENTS ? 'copy' : 'statement';
    return { seconds: round2(seconds), eventsPerSecond: round2(events.length / seconds), path };
  } finally {
    await ds.destroy();
  }
}

/** Groups of what 8 concurrent batches make, as ingest's group commit forms them under B2. */
function groupsOf<T>(items: T[]): T[][] {
  const size = B2_CONCURRENCY * B2_BATCH;
  return Array.from({ length: Math.ceil(items.length / size) }, (_, g) => items.slice(g * size, (g + 1) * size));
}

/** Two workers taking the next group until none is left; the seconds they took. */
async function twoInFlight<G>(groups: G[], commit: (group: G, worker: number) => Promise<void>): Promise<number> {
  const queue = [...groups];
  const started = performance.now();
  const worker = async (n: number): Promise<void> => {
    for (let group = queue.shift(); group !== undefined; group = queue.shift()) {
      await commit(group, n);
    }
  };
  await Promise.all([worker(0), worker(1)]);
  return (performance.now() - started) / 1000;
}

async function keysThenCopy(databaseUrl: string, events: Record<string, unknown>[]): Promise<Throughput> {
  const clients = [new Client({ connectionString: databaseUrl }), new Client({ connectionString: databaseUrl })];
  await Promise.all(clients.map((c) => c.connect()));
  try {
    await clients[0].query('TRUNCATE events, event_dedupe');
    const sourceId = randomUUID();
    const at = new Date().toISOString();
    const expires = new Date(Date.now() + DEDUPE_WINDOW_MS).toISOString();
    const groups = groupsOf(events).map((group) => ({
      ids: group.map((e) => String(e.messageId)),
      text: copyText(sourceId, at, group),
    }));
    const seconds = await twoInFlight(groups, async (group, n) => {
      const db = clients[n];
      await db.query('BEGIN');
      await db.query({
        name: 'bench_keys',
        text: `INSERT INTO event_dedupe (source_id, message_id, received_at, expires_at)
                 SELECT $1, id, $2, $3 FROM unnest($4::text[]) AS id ORDER BY id
                 ON CONFLICT (source_id, message_id) DO NOTHING RETURNING message_id`,
        values: [sourceId, at, expires, group.ids],
      });
      await copyIn(db, COPY_EVENTS, group.text);
      await db.query('COMMIT');
    });
    return { seconds: round2(seconds), eventsPerSecond: round2(events.length / seconds) };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

const COPY_EVENTS =
  'COPY events (source_id, message_id, type, event, user_id, timestamp, received_at, payload) FROM STDIN';

/** COPY text of the events: the columns ingest fills for them; JSON escapes control characters, so only `\` doubles. */
function copyText(sourceId: string, at: string, events: Record<string, unknown>[]): Buffer {
  const line = (e: Record<string, unknown>): string =>
    [sourceId, e.messageId, 'track', e.event, e.userId, at, at, JSON.stringify(e).replaceAll('\\', '\\\\')].join('\t');
  return Buffer.from(events.map(line).join('\n') + '\n');
}

async function copyBaseline(databaseUrl: string, events: Record<string, unknown>[]): Promise<Throughput> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('TRUNCATE events');
    const text = copyText(randomUUID(), new Date().toISOString(), events);
    const started = performance.now();
    await copyIn(db, COPY_EVENTS, text);
    const seconds = (performance.now() - started) / 1000;
    return { seconds: round2(seconds), eventsPerSecond: round2(events.length / seconds) };
  } finally {
    await db.end();
  }
}
