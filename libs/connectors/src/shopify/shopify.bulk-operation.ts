// Starting and polling one bulk query job (cloud-apis.md §3.4). Problems Shopify reports as `userErrors` (HTTP 200)
// become ProviderErrors here; transport and GraphQL errors are the request function's to classify.
import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '../core/provider-error';
import type { ShopifyRequest } from './shopify.client';

export type BulkStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';

export interface BulkOperationView {
  id: string;
  status: BulkStatus;
  errorCode: string | null;
  objectCount: string;
  url: string | null;
  partialDataUrl: string | null;
}

const RUN = `mutation BulkRun($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: false) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

const POLL = `query BulkPoll($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount url partialDataUrl } }
}`;

interface RunAnswer {
  bulkOperationRunQuery: {
    bulkOperation: { id: string } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  };
}

/** userErrors codes meaning the shop already runs as many bulk queries as its API version allows. */
const BUSY_CODES = new Set(['LIMIT_REACHED', 'OPERATION_IN_PROGRESS']);

/** Our code for a job not started because every bulk slot of the shop is held (ConcurrencySlots). */
export const SLOTS_HELD = 'SLOTS_HELD';

/** Whether `error` says a job could not start yet because the shop runs as many as it may (ours or Shopify's). */
export function isBusy(error: unknown): boolean {
  const code = error instanceof ProviderError && error.kind === 'rate_limited' ? error.providerCode : undefined;
  return code !== undefined && (code === SLOTS_HELD || BUSY_CODES.has(code));
}

export interface BulkTiming {
  /** Between two polls of a running job, and two tries to start one while the shop is busy. */
  pollIntervalMs: number;
  /** How long one call waits for a job (then it hands back its cursor) or for a free slot (then it fails). */
  maxWaitMs: number;
}

/**
 * Starts `query` as a bulk job and answers its GID. While the shop runs as many bulk queries as allowed (5 per
 * shop from 2026-01, shared by every source and worker on it) it tries again every poll interval until `maxWaitMs`
 * has passed, then fails `rate_limited` so the activity retries later.
 */
export async function startBulkQuery(
  request: ShopifyRequest,
  query: string,
  timing: BulkTiming,
  signal?: AbortSignal,
): Promise<string> {
  const deadline = Date.now() + timing.maxWaitMs;
  for (;;) {
    const { bulkOperation, userErrors } = (await request<RunAnswer>(RUN, { query }, signal)).bulkOperationRunQuery;
    if (bulkOperation && userErrors.length === 0) {
      return bulkOperation.id;
    }
    const [first] = userErrors;
    const reason = first?.message ?? 'no operation and no reason';
    if (!first?.code || !BUSY_CODES.has(first.code)) {
      throw new ProviderError(
        'invalid',
        `Shopify refused the bulk query: ${reason}`,
        'shopify',
        200,
        first?.code ?? undefined,
      );
    }
    if (Date.now() + timing.pollIntervalMs > deadline) {
      throw new ProviderError(
        'rate_limited',
        `Shopify runs as many bulk queries for this shop as it allows (${reason}); try again when one finishes`,
        'shopify',
        200,
        first.code,
        timing.pollIntervalMs,
      );
    }
    await sleep(timing.pollIntervalMs, undefined, { signal });
  }
}

/** The job's state, or null when Shopify no longer knows it. */
export async function pollBulkOperation(
  request: ShopifyRequest,
  id: string,
  signal?: AbortSignal,
): Promise<BulkOperationView | null> {
  const { node } = await request<{ node: BulkOperationView | null }>(POLL, { id }, signal);
  return node?.id ? node : null;
}

const FINISHED: ReadonlySet<BulkStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'EXPIRED']);

/** Polls until the job finishes (its view), is unknown (null), or `maxWaitMs` passes ('running'). */
export async function awaitBulkOperation(
  request: ShopifyRequest,
  id: string,
  timing: BulkTiming,
  signal?: AbortSignal,
): Promise<BulkOperationView | null | 'running'> {
  const deadline = Date.now() + timing.maxWaitMs;
  for (;;) {
    const view = await pollBulkOperation(request, id, signal);
    if (!view || FINISHED.has(view.status)) {
      return view;
    }
    if (Date.now() + timing.pollIntervalMs > deadline) {
      return 'running';
    }
    await sleep(timing.pollIntervalMs, undefined, { signal });
  }
}
