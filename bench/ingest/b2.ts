// B2: /v1/batch of 100 events at concurrency 8, events/s divided by one COPY of the same rows into an empty
// events table of the same DDL — the same rows: the text of that COPY is the rows ingest itself writes for those
// events (normalizeMessage, then eventCopyLine, as its COPY path does), so both sides store the same columns and
// the same payloads. Three rounds alternate ingest's load and the COPY; each side's median round makes the
// ratio (a single 2-second COPY on a shared machine moved the ratio by 0.15 between runs). Also measured, to show where the ratio goes: ingest's own commit
// (event-store.ts, on the path a group of 8 batches takes: COPY from COPY_MIN_EVENTS on, else the one
// statement; 2 groups in flight as ingest runs them) fed the same events already validated, straight into
// Postgres with no HTTP and no parsing; and the cheapest write the dedupe design allows (keys by INSERT …
// ON CONFLICT, then COPY of the events), Postgres alone.
import { buildDataSourceOptions } from '@app/database';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { COPY_EVENTS_SQL, eventCopyLine } from '../../libs/ingestion/src/event-copy-text';
import { COPY_MIN_EVENTS, EventStore } from '../../libs/ingestion/src/event-store';
import { type TrackingEvent, normalizeMessage } from '../../libs/ingestion/src/tracking-message';
import { type BenchContext, type RatioCase, round2 } from '../lib/harness';
import { copyIn } from '../sync/baseline';
import { type LoadResult, cpuMs, failOnErrors, runLoad } from './load';

const B2_CONCURRENCY = 8;
const B2_BATCH = 100;
const B2_BATCHES = Number(process.env.BENCH_INGEST_B2_BATCHES ?? 1000);
/** Ingest's B2 load and the COPY alternate this many times; each side's median makes the ratio (noise). */
const B2_ROUNDS = 3;
const DEDUPE_WINDOW_MS = 7 * 86_400_000;

export interface B2Case extends RatioCase {
  higherIsBetter: true;
  events: number;
  ingest: LoadResult & { eventsPerSecond: number };
  copy: Throughput & CpuPerEvent;
  /** Each round's figures: ingest's B2 load, then one COPY of that round's rows (the medians make the ratio). */
  rounds: Array<{ ingestEventsPerSecond: number; copyEventsPerSecond: number }>;
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

/** Where a side's CPU went, in microseconds per event (user + system, from /proc and process.cpuUsage). */
interface CpuPerEvent {
  postgresCpuUsPerEvent?: number;
  clientCpuUsPerEvent: number;
}

export async function runB2(
  ctx: BenchContext,
  ingest: { url: string; headers: Record<string, string>; pid?: number },
  baselineUrl: string,
  postgresPid?: number,
): Promise<B2Case> {
  ctx.step(`B2 /v1/batch of ${B2_BATCH} at concurrency ${B2_CONCURRENCY}, ${B2_ROUNDS} rounds`);
  const rounds: Array<{ ingest: LoadResult & { eventsPerSecond: number }; copy: Throughput & CpuPerEvent }> = [];
  let stored: TrackingEvent[] = [];
  for (let round = 0; round < B2_ROUNDS; round++) {
    const batches = Array.from({ length: B2_BATCHES }, (_, n) => batchEvents(`${round}-${n}`));
    const load = await runLoad({
      url: ingest.url,
      path: '/v1/batch',
      headers: ingest.headers,
      body: (n) => JSON.stringify({ batch: batches[n] }),
      concurrency: B2_CONCURRENCY,
      total: B2_BATCHES,
      serverPid: ingest.pid,
      postgresPid,
    });
    failOnErrors(load);
    stored = storedEvents(batches.flat());
    const copy = await copyBaseline(baselineUrl, stored, postgresPid);
    rounds.push({ ingest: { ...load, eventsPerSecond: round2((load.requests * B2_BATCH) / load.seconds) }, copy });
  }
  const b2 = median(rounds.map((r) => r.ingest));
  const copy = median(rounds.map((r) => r.copy));
  const events = b2.requests * B2_BATCH;
  const commit = await commitOnly(baselineUrl, stored);
  const floor = await keysThenCopy(baselineUrl, stored);
  const ratio = round2(b2.eventsPerSecond / copy.eventsPerSecond);
  ctx.log(
    `B2: ingest ${b2.eventsPerSecond} events/s, COPY ${copy.eventsPerSecond} events/s, ` +
      `ingest's commit alone (${commit.path}) ${commit.eventsPerSecond} events/s, ` +
      `keys + COPY ${floor.eventsPerSecond} events/s`,
  );
  return {
    name: `B2 /v1/batch of ${B2_BATCH}, concurrency ${B2_CONCURRENCY}`,
    higherIsBetter: true,
    ratioDefinition:
      'ingest events/s ÷ one COPY of the same rows into an empty events table (same DDL); each the median of 3 rounds, alternating',
    ratio,
    target: 0.85,
    meets: ratio >= 0.85,
    events,
    ingest: b2,
    copy,
    rounds: rounds.map((r) => ({
      ingestEventsPerSecond: r.ingest.eventsPerSecond,
      copyEventsPerSecond: r.copy.eventsPerSecond,
    })),
    commitOnly: { ...commit, ratioToCopy: round2(commit.eventsPerSecond / copy.eventsPerSecond) },
    dedupeKeysThenCopy: { ...floor, ratioToCopy: round2(floor.eventsPerSecond / copy.eventsPerSecond) },
  };
}

/** The middle run by events/s (rounds are few and odd). */
function median<T extends { eventsPerSecond: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[Math.floor(runs.length / 2)];
}

function batchEvents(n: string): Record<string, unknown>[] {
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

/** The B2 events validated and normalised as ingest does it: what it stores for them. */
function storedEvents(raw: Record<string, unknown>[]): TrackingEvent[] {
  const receivedAt = new Date();
  return raw.map((r) => {
    const result = normalizeMessage(r, { receivedAt });
    if (!result.ok) {
      throw new Error(`B2 event refused: ${result.reason}`);
    }
    return result.event;
  });
}

/**
 * The events committed by ingest's EventStore (the path it picks for the group's size) into the emptied
 * tables, in groups of what 8 concurrent batches make, two groups in flight: Postgres's share of B2, with the
 * commit's own JavaScript.
 */
async function commitOnly(
  databaseUrl: string,
  stored: TrackingEvent[],
): Promise<Throughput & { path: 'copy' | 'statement' }> {
  const ds = await new DataSource(
    buildDataSourceOptions({ url: databaseUrl, poolSize: 2, applicationName: 'tributary-bench' }),
  ).initialize();
  try {
    await ds.query('TRUNCATE events, event_dedupe');
    const sourceId = randomUUID();
    const events = stored.map((event) => ({ sourceId, event }));
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

async function keysThenCopy(databaseUrl: string, events: TrackingEvent[]): Promise<Throughput> {
  const clients = [new Client({ connectionString: databaseUrl }), new Client({ connectionString: databaseUrl })];
  await Promise.all(clients.map((c) => c.connect()));
  try {
    await clients[0].query('TRUNCATE events, event_dedupe');
    const sourceId = randomUUID();
    const at = new Date().toISOString();
    const expires = new Date(Date.now() + DEDUPE_WINDOW_MS).toISOString();
    const groups = groupsOf(events).map((group) => ({
      ids: group.map((e) => e.messageId),
      text: copyText(sourceId, group),
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
      await copyIn(db, COPY_EVENTS_SQL, group.text);
      await db.query('COMMIT');
    });
    return { seconds: round2(seconds), eventsPerSecond: round2(events.length / seconds) };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** COPY text of the rows ingest writes for the events (its COPY path's own lines). */
function copyText(sourceId: string, events: TrackingEvent[]): Buffer {
  return Buffer.from(events.map((e) => eventCopyLine(sourceId, e)).join(''));
}

async function copyBaseline(
  databaseUrl: string,
  events: TrackingEvent[],
  postgresPid?: number,
): Promise<Throughput & CpuPerEvent> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const text = copyText(randomUUID(), events);
    // The COPY's own backend (other backends come and go: an autovacuum worker ending mid-run would skew a sum).
    const backend = postgresPid === undefined ? undefined : await backendPid(db);
    await db.query('TRUNCATE events');
    return await timedCopy(db, text, events.length, backend);
  } finally {
    await db.end();
  }
}

async function backendPid(db: Client): Promise<number> {
  const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return rows[0].pid;
}

async function timedCopy(db: Client, text: Buffer, n: number, backend?: number): Promise<Throughput & CpuPerEvent> {
  const pgBefore = backend === undefined ? 0 : cpuMs(backend);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  await copyIn(db, COPY_EVENTS_SQL, text);
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const perEvent = (ms: number): number => round2((ms * 1000) / n);
  return {
    seconds: round2(seconds),
    eventsPerSecond: round2(n / seconds),
    ...(backend === undefined ? {} : { postgresCpuUsPerEvent: perEvent(cpuMs(backend) - pgBefore) }),
    clientCpuUsPerEvent: perEvent((client.user + client.system) / 1000),
  };
}
