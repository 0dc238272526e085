// Injected faults for the next N API responses, first in first out: a gateway 5xx, the edge's REST-style 429 with
// `Retry-After`, a GraphQL THROTTLED (HTTP 200) whatever the bucket holds, and/or a delay before the answer.
import { FaultQueue as SharedFaultQueue, type QueuedFault } from '../../shared/fault-queue';

export interface FaultSpec extends QueuedFault {
  /** 429, 500, 502 or 503; omitted for a pure delay or a THROTTLED answer. */
  status?: 429 | 500 | 502 | 503;
  /** For 429: the Retry-After value (default `2.0`, seconds as Shopify writes them). */
  retryAfter?: string;
  /** Answer THROTTLED (HTTP 200) instead of running the query. */
  throttled?: boolean;
  delayMs?: number;
  /** How many responses it applies to. */
  count: number;
}

/** Shopify's faults: no rates or paths here, so the oldest applies to the next response. */
export class FaultQueue extends SharedFaultQueue<FaultSpec> {
  constructor() {
    super(0, () => 0);
  }
}

const FAULT_KEYS = ['status', 'retryAfter', 'throttled', 'delayMs', 'count'];

/** Validates a control body into a fault; throws RangeError with the reason. */
export function parseFault(body: unknown): FaultSpec {
  const spec = (body ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(spec).filter((key) => !FAULT_KEYS.includes(key));
  if (unknown.length > 0) {
    throw new RangeError(`unknown field ${unknown.join(', ')} (allowed: ${FAULT_KEYS.join(', ')})`);
  }
  const count = spec.count ?? 1;
  if (!Number.isInteger(count) || (count as number) < 1) {
    throw new RangeError('count must be a positive integer');
  }
  if (spec.status !== undefined && ![429, 500, 502, 503].includes(spec.status as number)) {
    throw new RangeError('status must be 429, 500, 502 or 503');
  }
  if (spec.throttled !== undefined && spec.throttled !== true) {
    throw new RangeError('throttled must be true when given');
  }
  if (spec.throttled && spec.status !== undefined) {
    throw new RangeError('give status or throttled, not both');
  }
  if (spec.status === undefined && !spec.throttled && spec.delayMs === undefined) {
    throw new RangeError('give status, throttled or delayMs');
  }
  if (spec.delayMs !== undefined && (!Number.isInteger(spec.delayMs) || (spec.delayMs as number) < 0)) {
    throw new RangeError('delayMs must be a non-negative integer');
  }
  if (spec.retryAfter !== undefined && (spec.status !== 429 || typeof spec.retryAfter !== 'string')) {
    throw new RangeError("retryAfter goes only with status 429, as a string such as '2.0'");
  }
  return { ...(spec as Partial<FaultSpec>), count: count as number };
}
