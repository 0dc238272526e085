// The Shopify full-refresh baseline: a plain script that runs the connector's own bulk query for orders
// (bulkQueryFor, so both sides ask Shopify for the same thing), polls the job until it is COMPLETED, downloads the
// JSONL, puts each line item under its order (`__parentId`, as the records hold them: `lineItems: […]`) and COPYs
// the orders into an empty table with the records table's DDL. No Temporal, no hashing, no upsert, no checkpoint.
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { bulkQueryFor } from '../../libs/connectors/src/shopify/shopify.bulk-queries';
import { sleep } from '../lib/harness';
import { BASELINE_TABLE, copyIn } from '../sync/baseline';
import type { ClientCounts } from './client';
import type { ShopifyRequest } from '../../libs/connectors/src/shopify/shopify.client';

/** Between two polls of the job: the connector's bulk reader polls once a second too (BULK_DEFAULTS). */
export const POLL_INTERVAL_MS = 1000;
/** Orders per COPY, so the text of one COPY stays a few MB. */
const COPY_ROWS = 2000;

const RUN = `mutation BenchBulkRun($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } }
}`;
const POLL = `query BenchBulkPoll($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount url } }
}`;

interface Job {
  id: string;
  status: string;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
}

export interface BulkBaselineResult {
  seconds: number;
  /** From starting the job to seeing it COMPLETED (the polls included). */
  jobSeconds: number;
  polls: number;
  downloadSeconds: number;
  fileBytes: number;
  /** Parsing the JSONL and nesting the line items. */
  parseSeconds: number;
  /** Time spent in COPY. */
  writeSeconds: number;
  requests: number;
  records: { orders: number; lineItems: number };
}

export async function runBulkBaseline(
  db: Client,
  request: ShopifyRequest,
  counts: ClientCounts,
  emulatorUrl: string,
): Promise<BulkBaselineResult> {
  const started = performance.now();
  const job = await runJob(request);
  const jobDone = performance.now();
  const text = await download(job.url, emulatorUrl);
  const downloaded = performance.now();
  const orders = nest(text);
  const parsed = performance.now();
  for (let at = 0; at < orders.length; at += COPY_ROWS) {
    await copyIn(db, `COPY ${BASELINE_TABLE} (object, external_id, payload) FROM STDIN`, copyText(orders, at));
  }
  const done = performance.now();
  const lineItems = orders.reduce((sum, order) => sum + (order.lineItems as unknown[]).length, 0);
  if (orders.length !== Number(job.rootObjectCount) || orders.length + lineItems !== Number(job.objectCount)) {
    throw new Error(`the bulk file holds ${orders.length} orders and ${lineItems} line items, not ${job.objectCount}`);
  }
  return {
    seconds: (done - started) / 1000,
    jobSeconds: (jobDone - started) / 1000,
    polls: job.polls,
    downloadSeconds: (downloaded - jobDone) / 1000,
    fileBytes: Buffer.byteLength(text),
    parseSeconds: (parsed - downloaded) / 1000,
    writeSeconds: (done - parsed) / 1000,
    requests: counts.requests,
    records: { orders: orders.length, lineItems },
  };
}

async function runJob(request: ShopifyRequest): Promise<Job & { url: string; polls: number }> {
  const { bulkOperationRunQuery: run } = await request<{
    bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: unknown[] };
  }>(RUN, { query: bulkQueryFor('orders') });
  if (!run.bulkOperation || run.userErrors.length > 0) {
    throw new Error(`Shopify refused the bulk query: ${JSON.stringify(run.userErrors)}`);
  }
  // As the connector's reader: a poll at once, then one a second until the job ends.
  for (let polls = 1; ; polls++) {
    const { node: job } = await request<{ node: Job }>(POLL, { id: run.bulkOperation.id });
    if (job.status === 'COMPLETED' && job.url) {
      return { ...job, url: job.url, polls };
    }
    if (job.status !== 'CREATED' && job.status !== 'RUNNING') {
      throw new Error(`the bulk job ended ${job.status} (${job.errorCode ?? 'no error code'})`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

/** The result file; the emulator names itself in the URL already, so only the origin is checked. */
async function download(url: string, emulatorUrl: string): Promise<string> {
  if (new URL(url).origin !== new URL(emulatorUrl).origin) {
    throw new Error(`the bulk result is at ${url}, not on the emulator`);
  }
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`downloading the bulk result answered ${response.status}`);
  }
  return response.text();
}

/** The orders of the JSONL, each with its line items (the lines after it naming it as `__parentId`). */
export function nest(text: string): Record<string, unknown>[] {
  const orders = new Map<string, Record<string, unknown> & { lineItems: unknown[] }>();
  for (const line of text.split('\n')) {
    if (line === '') {
      continue;
    }
    const { __parentId: parentId, ...node } = JSON.parse(line) as Record<string, unknown> & { __parentId?: string };
    if (parentId === undefined) {
      orders.set(node.id as string, { ...node, lineItems: [] });
    } else {
      const parent = orders.get(parentId);
      if (!parent) {
        throw new Error(`a line item names order ${parentId}, which no earlier line holds`);
      }
      parent.lineItems.push(node);
    }
  }
  return [...orders.values()];
}

/** COPY's text format: tab-separated, one row a line; JSON escapes control characters, so only `\` doubles. */
function copyText(orders: Record<string, unknown>[], from: number): Buffer {
  const lines = orders
    .slice(from, from + COPY_ROWS)
    .map((order) => `orders\t${order.id as string}\t${JSON.stringify(order).replaceAll('\\', '\\\\')}\n`);
  return Buffer.from(lines.join(''));
}
