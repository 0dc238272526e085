// Full refreshes through bulk operations, as resumable pages for the sync engine (issue 14 point 2). A read starts
// one bulk job, hands out its result a page at a time, and keeps the job's id in the cursor from the first page on,
// so a worker that dies resumes the same job instead of running another. Records only ever come from a COMPLETED
// job's whole file: a FAILED job's partialDataUrl is a prefix of the result (Airbyte #62499), so the read starts a
// new job instead and the checkpoint never moves past what a failed job held. A job that ends otherwise (EXPIRED,
// CANCELED, unknown, its file gone) is started over too; failing jobs are started over at most `maxRestarts` times
// in a row within one sync run, then the run fails with a ProviderError that names the job and its error code. The
// budget is the run's: a later run continuing the cursor (which still names the failed job, so nothing is skipped)
// starts that job over with a budget of its own, so a passing Shopify outage never blocks an object for good.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConcurrencySlots } from '../core/concurrency-slots';
import type { MappedRecord, Page } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import {
  type BulkCursor,
  type BulkReadAt,
  decodeBulkCursor,
  encodeBulkCursor,
  forRun,
  runTag,
} from './shopify.bulk-cursor';
import { BulkFileError, parseBulkJsonl } from './shopify.bulk-jsonl';
import {
  awaitBulkOperation,
  type BulkOperationView,
  type BulkTiming,
  isBusy,
  SLOTS_HELD,
  startBulkQuery,
} from './shopify.bulk-operation';
import { bulkChildFields, bulkQueryFor } from './shopify.bulk-queries';

import type { ShopifyFetchFile, ShopifyRequest } from './shopify.client';

export type { ShopifyFetchFile, ShopifyRequest };

export interface BulkReadOptions extends Partial<BulkTiming> {
  /** Root objects (with their children) per page. */
  pageSize?: number;
  /** Failing jobs started over in a row before the read fails. */
  maxRestarts?: number;
  /**
   * The shop's bulk query slots shared by every source and worker on it: a job starts only once it holds one, and
   * gives it back when it finishes. Without it the reader still waits on Shopify's own LIMIT_REACHED answers.
   */
  slots?: ConcurrencySlots;
}

export const BULK_DEFAULTS: Required<Omit<BulkReadOptions, 'slots'>> = {
  pageSize: 2_000,
  maxRestarts: 3,
  pollIntervalMs: 1_000,
  // Keeps one call short, well inside an activity's timeouts: a longer job hands its cursor back and the next
  // call polls on (the cursor already names the job, so a worker dying meanwhile loses nothing).
  maxWaitMs: 20_000,
};

export class ShopifyBulkReader {
  private readonly options: Required<Omit<BulkReadOptions, 'slots'>> & Pick<BulkReadOptions, 'slots'>;
  /** The last downloaded result, so the pages of one job download its file once per reader. */
  private loaded: { operation: string; records: MappedRecord[] } | null = null;

  constructor(
    private readonly request: ShopifyRequest,
    private readonly fetchFile: ShopifyFetchFile,
    options: BulkReadOptions = {},
  ) {
    this.options = { ...BULK_DEFAULTS, ...options };
  }

  /**
   * The page of `object` at `cursor` (null: start a new job over `window`, every record when none, and answer its
   * cursor with no records). A page may be empty while the job runs: only a null nextCursor ends the read. `runId`
   * is the sync run reading (see BulkReadAt).
   */
  async readPage(object: string, cursor: string | null, signal?: AbortSignal, read: BulkReadAt = {}): Promise<Page> {
    const { window = {}, runId } = read;
    let at = cursor
      ? forRun(decodeBulkCursor(cursor, object), runId)
      : { object, window, operation: null, position: 0, restarts: 0, ...(runId ? { run: runTag(runId) } : {}) };
    if (at.operation === null) {
      return this.begin(at, signal);
    }
    if (at.lease) {
      // Renews the running job's slot (a resumed job keeps its own). Were it lapsed and taken meanwhile, the job
      // runs on at Shopify all the same, so the answer does not matter here.
      await this.options.slots?.acquire(at.lease);
    }
    const job = await awaitBulkOperation(this.request, at.operation, this.options, signal);
    if (job === 'running') {
      return { records: [], nextCursor: encodeBulkCursor(at) };
    }
    if (at.lease) {
      // Shopify frees the job's slot as it finishes, whatever the read does next.
      await this.options.slots?.release(at.lease);
      at = { ...at, lease: undefined };
    }
    if (job?.status === 'FAILED' && job.errorCode === 'ACCESS_DENIED') {
      throw new ProviderError(
        'permission',
        `Shopify denied the bulk read of ${object}: the access token lacks a read scope it needs`,
        'shopify',
        undefined,
        'ACCESS_DENIED',
      );
    }
    const records = job?.status === 'COMPLETED' ? await this.result(job, object, signal) : null;
    return records ? this.slice(at, records) : this.restart(at, job, signal);
  }

  /**
   * Starts the read's job and answers its cursor with no records: the job's id goes back before any wait, so the
   * engine commits it and a worker dying from here on resumes this job (renewing its slot) instead of leaving it
   * running unread and starting another. While every bulk slot of the shop is busy (ours or Shopify's answer) the
   * cursor says the read still waits: waiting for other syncs is the normal state of a busy shop, not a failure
   * that spends the engine's retries.
   */
  private async begin(at: BulkCursor, signal?: AbortSignal): Promise<Page> {
    try {
      return { records: [], nextCursor: encodeBulkCursor(await this.start(at, signal)) };
    } catch (error) {
      if (!isBusy(error)) {
        throw error;
      }
      return { records: [], nextCursor: encodeBulkCursor({ ...at, operation: null, position: 0, lease: undefined }) };
    }
  }

  private async start(at: BulkCursor, signal?: AbortSignal): Promise<BulkCursor> {
    const query = bulkQueryFor(at.object, at.window);
    const lease = await this.takeSlot(signal);
    try {
      const operation = await startBulkQuery(this.request, query, this.options, signal);
      return { ...at, operation, position: 0, ...(lease ? { lease } : {}) };
    } catch (error) {
      if (lease) {
        await this.options.slots?.release(lease);
      }
      throw error;
    }
  }

  /** A new lease on one of the shop's bulk slots (none without slots), waiting up to maxWaitMs for one. */
  private async takeSlot(signal?: AbortSignal): Promise<string | undefined> {
    const { slots, pollIntervalMs, maxWaitMs } = this.options;
    if (!slots) {
      return undefined;
    }
    const lease = randomUUID();
    const deadline = Date.now() + maxWaitMs;
    while (!(await slots.acquire(lease))) {
      if (Date.now() + pollIntervalMs > deadline) {
        throw new ProviderError(
          'rate_limited',
          'every bulk query slot of this Shopify shop is held by other syncs; try again when one finishes',
          'shopify',
          undefined,
          SLOTS_HELD,
          pollIntervalMs,
        );
      }
      await sleep(pollIntervalMs, undefined, { signal });
    }
    return lease;
  }

  private slice(at: BulkCursor, records: MappedRecord[]): Page {
    const end = at.position + this.options.pageSize;
    // The job completed, so the run of failures (if any) is over.
    const next = end < records.length ? encodeBulkCursor({ ...at, position: end, restarts: 0 }) : null;
    return { records: records.slice(at.position, end), nextCursor: next };
  }

  /** A new job for the same object and window, from its first record; the failed one's data is never read. */
  private async restart(at: BulkCursor, job: BulkOperationView | null, signal?: AbortSignal): Promise<Page> {
    const how = job ? `ended ${job.status}${job.errorCode ? ` (${job.errorCode})` : ''}` : 'is unknown to Shopify';
    if (at.restarts >= this.options.maxRestarts) {
      // Exhausted, not transient: the engine's retries would only find this failed job again. The cursor keeps
      // naming it, so the next run starts it over (forRun) instead of skipping past it.
      throw new ProviderError(
        'exhausted',
        `Shopify bulk job ${at.operation} for ${at.object} ${how} after ${at.restarts} restarts; ` +
          'no record past the last completed job was kept (partial data is not a whole result)',
        'shopify',
        undefined,
        job?.errorCode ?? undefined,
      );
    }
    return this.begin({ ...at, operation: null, restarts: at.restarts + 1 }, signal);
  }

  /** The completed job's records, or null when its file is gone (expired): the job must be run again. */
  private async result(job: BulkOperationView, object: string, signal?: AbortSignal): Promise<MappedRecord[] | null> {
    if (!job.url) {
      // Shopify gives no url for an empty result; a count without a file is a result we cannot read.
      return job.objectCount === '0' ? [] : null;
    }
    if (this.loaded?.operation === job.id) {
      return this.loaded.records;
    }
    const text = await this.download(job.url, signal);
    if (text === null) {
      return null;
    }
    try {
      const records = parseBulkJsonl(text, bulkChildFields(object), Number(job.objectCount));
      this.loaded = { operation: job.id, records };
      return records;
    } catch (error) {
      if (error instanceof BulkFileError) {
        throw new ProviderError('transient', `Shopify bulk result of ${job.id}: ${error.message}`, 'shopify');
      }
      throw error;
    }
  }

  /** The file's text; null when storage says it is gone (404) or its signed URL expired (400/403). */
  private async download(url: string, signal?: AbortSignal): Promise<string | null> {
    let response: Response;
    try {
      response = await this.fetchFile(url, signal);
    } catch (error) {
      if (signal?.aborted) {
        throw error;
      }
      throw new ProviderError(
        'transient',
        `downloading a Shopify bulk result failed: ${(error as Error).message}`,
        'shopify',
      );
    }
    if (response.status >= 500 || response.status === 429) {
      throw new ProviderError(
        'transient',
        `Shopify bulk result storage answered ${response.status}`,
        'shopify',
        response.status,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    return await response.text();
  }
}

/** One page of a bulk read with a fresh reader (the result file is downloaded again for every page). */
export function readBulkPage(
  request: ShopifyRequest,
  fetchFile: ShopifyFetchFile,
  object: string,
  cursor: string | null,
  signal?: AbortSignal,
  options: BulkReadOptions & BulkReadAt = {},
): Promise<Page> {
  return new ShopifyBulkReader(request, fetchFile, options).readPage(object, cursor, signal, options);
}
