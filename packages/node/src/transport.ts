import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type BackoffPolicy, backoffDelay, retryAfterDelay } from './backoff.js';
import { type Pending, batchBody } from './batch.js';
import type { DeliveryResult } from './types.js';

const gzipAsync = promisify(gzip);

export interface TransportOptions {
  url: string;
  authorization: string;
  maxAttempts: number;
  backoff: BackoffPolicy;
  timeout: number;
  gzip: boolean;
  fetch: typeof fetch;
  /** Aborted by close() past its deadline: stop retrying and report what is left as failed. */
  stop: AbortSignal;
}

/** Ingest's answer to a batch (libs/ingestion tracking.routes.ts `answer`). */
interface BatchAnswer {
  results?: { status: string; messageId?: string | null; code?: string; field?: string; reason?: string }[];
  code?: string;
  error?: string;
}

type Attempt =
  | { kind: 'done'; results: NonNullable<BatchAnswer['results']> }
  | { kind: 'refused'; code: string; reason: string }
  | { kind: 'retry'; reason: string; delay?: number };

/**
 * Delivers one batch: retries network errors, timeouts, 5xx and 429 (after its Retry-After) with backoff,
 * the same messageIds each time so ingest stores each call once; any other 4xx refuses the whole batch.
 * Every item is settled exactly once.
 */
export async function deliver(items: Pending[], o: TransportOptions): Promise<void> {
  let lastReason = '';
  let attempts = 0;
  while (attempts < o.maxAttempts && !o.stop.aborted) {
    const attempt = ++attempts;
    const outcome = await attemptOnce(items, o);
    if (outcome.kind === 'done') {
      return settleAll(items, outcome.results);
    }
    if (outcome.kind === 'refused') {
      for (const item of items) {
        item.settle(refusedItem(item, outcome.code, outcome.reason));
      }
      return;
    }
    lastReason = outcome.reason;
    if (attempt < o.maxAttempts) {
      await sleep(outcome.delay ?? backoffDelay(o.backoff, attempt), o.stop);
    }
  }
  const reason = o.stop.aborted ? `client closed before delivery (last error: ${lastReason || 'none'})` : lastReason;
  for (const item of items) {
    item.settle({ status: 'failed', messageId: item.messageId, type: item.type, reason, attempts });
  }
}

async function attemptOnce(items: Pending[], o: TransportOptions): Promise<Attempt> {
  const json = batchBody(items, new Date());
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: o.authorization };
  let body: string | Buffer = json;
  if (o.gzip) {
    body = await gzipAsync(json);
    headers['content-encoding'] = 'gzip';
  }
  let res: Response;
  // One controller per request, aborted by its timeout or by close(): cheaper than AbortSignal.any and
  // AbortSignal.timeout per request, and nothing stays attached to the long-lived stop signal.
  const request = new AbortController();
  const abort = (): void => request.abort();
  const timer = setTimeout(abort, o.timeout);
  o.stop.addEventListener('abort', abort, { once: true });
  try {
    res = await o.fetch(o.url, { method: 'POST', headers, body, signal: request.signal });
  } catch (error) {
    return { kind: 'retry', reason: `network: ${describe(error)}` };
  } finally {
    clearTimeout(timer);
    o.stop.removeEventListener('abort', abort);
  }
  const answer = (await res.json().catch(() => ({}))) as BatchAnswer;
  if (res.status === 429) {
    return { kind: 'retry', reason: 'rate limited (429)', delay: retryAfterDelay(res.headers.get('retry-after')) };
  }
  if (res.status >= 500) {
    return { kind: 'retry', reason: `ingest answered ${res.status}` };
  }
  if (res.status >= 400 || !res.ok) {
    return { kind: 'refused', code: answer.code ?? `http_${res.status}`, reason: answer.error ?? `HTTP ${res.status}` };
  }
  if (!Array.isArray(answer.results) || answer.results.length !== items.length) {
    return { kind: 'retry', reason: 'ingest answered without one result per item' };
  }
  return { kind: 'done', results: answer.results };
}

function settleAll(items: Pending[], results: NonNullable<BatchAnswer['results']>): void {
  items.forEach((item, i) => {
    const r = results[i];
    const { messageId, type } = item;
    if (r.status === 'accepted' || r.status === 'duplicate') {
      item.settle({ status: r.status, messageId, type });
    } else if (r.status === 'rejected' || r.status === 'quarantined') {
      const status = r.status;
      item.settle({ status, messageId, type, code: r.code ?? '', field: r.field ?? '', reason: r.reason ?? '' });
    } else {
      item.settle(refusedItem(item, 'unknown_status', `ingest answered status "${r.status}"`));
    }
  });
}

function refusedItem(item: Pending, code: string, reason: string): DeliveryResult {
  return { status: 'rejected', messageId: item.messageId, type: item.type, code, field: '', reason };
}

/** fetch's TypeError says only "fetch failed": the cause's code (ECONNREFUSED…) is what helps. */
function describe(error: unknown): string {
  // Duck-typed: an error from another realm (a test runner's vm context) is no `instanceof Error` here.
  const e = error as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const text = e?.cause?.code ?? e?.cause?.message ?? e?.message;
  return typeof text === 'string' ? text : String(error);
}

/** Resolves after `ms`, or at once when `stop` aborts. */
function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}
