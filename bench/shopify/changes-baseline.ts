// The Shopify incremental baseline: a plain sequential script that pages the connector's own change query for orders
// (its ShopifyChangeLog over the baseline's client, so both sides send the same query text, page size, `updated_at`
// filter and lookback from the same saved position) and after each page COPYs its orders (with their line items)
// into an empty table with the records table's DDL. No Temporal, no version check, no upsert, no checkpoint.
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { ChangeVersion } from '../../libs/connectors/src/core/connector';
import { ShopifyChangeLog } from '../../libs/connectors/src/shopify/shopify.change-log';
import type { ShopifyExchange, ShopifyRequest } from '../../libs/connectors/src/shopify/shopify.client';
import { BASELINE_TABLE, copyIn } from '../sync/baseline';
import type { ClientCounts } from './client';

export interface ChangesBaselineResult {
  seconds: number;
  /** Waiting for answers (pacing included; the split is the client's). */
  fetchSeconds: number;
  pacingSeconds: number;
  /** Time spent in COPY. */
  writeSeconds: number;
  pages: number;
  requests: number;
  /** THROTTLED answers the script waited out and sent again (0 when its pacing kept within the bucket). */
  throttled: number;
  pointsRequested: number;
  pointsCharged: number;
  records: number;
}

export async function runChangesBaseline(
  db: Client,
  client: { request: ShopifyRequest; exchange: ShopifyExchange; counts: ClientCounts },
  position: ChangeVersion,
): Promise<ChangesBaselineResult> {
  const log = new ShopifyChangeLog(client.request, client.exchange);
  let writeSeconds = 0;
  let pages = 0;
  let records = 0;
  const started = performance.now();
  let cursor: string | null = null;
  do {
    const page = await log.readChanges('orders', position, cursor);
    const writeStart = performance.now();
    if (page.changes.length > 0) {
      const lines = page.changes.map(
        (change) => `orders\t${change.externalId}\t${JSON.stringify(change.payload).replaceAll('\\', '\\\\')}\n`,
      );
      await copyIn(db, `COPY ${BASELINE_TABLE} (object, external_id, payload) FROM STDIN`, Buffer.from(lines.join('')));
    }
    writeSeconds += (performance.now() - writeStart) / 1000;
    pages++;
    records += page.changes.length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  const { counts } = client;
  return {
    seconds: (performance.now() - started) / 1000,
    fetchSeconds: counts.fetchSeconds,
    pacingSeconds: counts.pacingSeconds,
    writeSeconds,
    pages,
    requests: counts.requests,
    throttled: counts.throttled,
    pointsRequested: counts.pointsRequested,
    pointsCharged: counts.pointsCharged,
    records,
  };
}
