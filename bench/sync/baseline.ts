// The B3 baseline: a plain sequential script. It fetches the case's object page by page (100 per page, the
// engine's page size) from the same emulator with the official `stripe` client configured as the
// connector configures it, and after each page COPYs that page's (id, payload) into an empty table with
// the records table's DDL. No Temporal, no hashing, no upsert: the limit the engine is measured against.
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import Stripe from 'stripe';

export const PAGE_SIZE = 100;

/** The objects B3 measures, each listed as the connector lists it. */
export type BenchObject = 'customers' | 'subscriptions' | 'invoices';

type Lister = (
  stripe: Stripe,
  params: { limit: number; starting_after?: string },
) => Promise<Stripe.ApiList<{ id: string }>>;

const LISTS: Record<BenchObject, Lister> = {
  customers: (stripe, params) => stripe.customers.list(params),
  subscriptions: (stripe, params) => stripe.subscriptions.list({ ...params, status: 'all' }),
  invoices: (stripe, params) => stripe.invoices.list(params),
};
export const BASELINE_TABLE = 'bench_baseline_records';

export interface BaselineResult {
  seconds: number;
  /** Time spent waiting for pages (request + JSON parse by the client). */
  fetchSeconds: number;
  /** Time spent in COPY. */
  writeSeconds: number;
  pages: number;
  records: number;
}

/** A fresh empty table with the same columns, keys, indexes and defaults as `records`. */
export async function recreateBaselineTable(db: Client, object: string = 'customers'): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${BASELINE_TABLE}`);
  await db.query(`CREATE TABLE ${BASELINE_TABLE} (LIKE records INCLUDING ALL)`);
  // COPY sends (external_id, payload) only; the other NOT NULL columns take constant defaults.
  await db.query(`ALTER TABLE ${BASELINE_TABLE}
    ALTER COLUMN source_id SET DEFAULT '00000000-0000-0000-0000-000000000000',
    ALTER COLUMN object SET DEFAULT '${object}',
    ALTER COLUMN content_hash SET DEFAULT repeat('0', 64),
    ALTER COLUMN first_seen_at SET DEFAULT now(),
    ALTER COLUMN last_seen_at SET DEFAULT now(),
    ALTER COLUMN seen_run_id SET DEFAULT '00000000-0000-0000-0000-000000000000'`);
}

export async function runBaseline(
  db: Client,
  emulatorUrl: string,
  object: BenchObject = 'customers',
): Promise<BaselineResult> {
  const url = new URL(emulatorUrl);
  const stripe = new Stripe('sk_test_tributary', {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
    timeout: 20_000,
  });
  const result: BaselineResult = { seconds: 0, fetchSeconds: 0, writeSeconds: 0, pages: 0, records: 0 };
  const started = performance.now();
  let cursor: string | undefined;
  for (;;) {
    const fetchStart = performance.now();
    const page = await LISTS[object](stripe, { limit: PAGE_SIZE, ...(cursor ? { starting_after: cursor } : {}) });
    const writeStart = performance.now();
    result.fetchSeconds += (writeStart - fetchStart) / 1000;
    await copyIn(db, `COPY ${BASELINE_TABLE} (external_id, payload) FROM STDIN`, copyText(page.data));
    result.writeSeconds += (performance.now() - writeStart) / 1000;
    result.pages++;
    result.records += page.data.length;
    if (!page.has_more || page.data.length === 0) {
      break;
    }
    cursor = page.data[page.data.length - 1].id;
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** COPY's text format: tab-separated, one row a line; JSON escapes control characters, so only `\` doubles. */
function copyText(rows: Array<{ id: string }>): Buffer {
  return Buffer.from(rows.map((row) => `${row.id}\t${JSON.stringify(row).replaceAll('\\', '\\\\')}\n`).join(''));
}

// The minimal submittable `pg` accepts for COPY … FROM STDIN (what pg-copy-streams does, which is not a
// dependency here): send the query, answer CopyInResponse with the data and CopyDone, settle on ReadyForQuery.
interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

export function copyIn(db: Client, text: string, data: Buffer): Promise<void> {
  return new Promise<void>((resolveFn, reject) => {
    let failed: Error | undefined;
    const submittable = {
      submit: (connection: PgConnection) => connection.query(text),
      handleCopyInResponse: (connection: PgConnection) => {
        connection.sendCopyFromChunk(data);
        connection.endCopyFrom();
      },
      handleCommandComplete: () => undefined,
      handleReadyForQuery: () => (failed ? reject(failed) : resolveFn()),
      handleError: (error: Error) => {
        failed = error;
        reject(error);
      },
    };
    void db.query(submittable as unknown as string);
  });
}
