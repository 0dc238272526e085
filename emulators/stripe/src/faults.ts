// Injected faults for the next N API responses, first in first out. A 429 is Stripe's plain rate limit:
// no Retry-After, no Stripe-Should-Retry, so stripe-node does not retry it (cloud-apis.md §1.6). A
// `lock_timeout` 429 carries `Stripe-Should-Retry: true`, the one 429 the client does retry.
// A fault with a `rate` hits only that share of the requests it applies to, decided by a PRNG seeded
// with the emulator's seed: the same requests in the same order meet the same faults on every run.
import { StripeApiError } from './errors';
import { digest } from './ids';
import { FaultQueue as SharedFaultQueue, type QueuedFault } from '../../shared/fault-queue';

export interface FaultSpec extends QueuedFault {
  /** 400, 429 or 500; omitted for a pure delay. */
  status?: 400 | 429 | 500;
  /** For 429: `rate_limit` (default) or `lock_timeout`. */
  code?: 'rate_limit' | 'lock_timeout';
  /** Wait this long before answering (combined with `status`, the error comes late). */
  delayMs?: number;
  /** How many API responses this fault applies to (with `rate`: how many it hits). */
  count: number;
  /**
   * Hit only this share (0 < rate ≤ 1) of the requests it applies to, drawn from the seeded PRNG; default 1
   * (every one). Rate faults a request meets share one draw: their rates add up, in queue order (429 at 0.15
   * then 500 at 0.15 fail 30 % of the requests, half each). A request no fault hits passes untouched.
   */
  rate?: number;
  /** Sets `Stripe-Should-Retry` on the error; defaults to true for `lock_timeout`, absent otherwise. */
  shouldRetry?: boolean;
  /** The error's `message` instead of Stripe's usual text (tests prove no provider text is stored). */
  message?: string;
  /** Answer 200 with a list whose `data` is null: a broken body the client library passes through. */
  malformed?: boolean;
  /** Only requests to this path (e.g. `/v1/customers`) consume the fault; default: any API request. */
  path?: string;
}

const RATE_LIMIT_MESSAGE =
  'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.';
const LOCK_TIMEOUT_MESSAGE =
  'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. ' +
  'If you see this error intermittently, retry the request. If you see this error frequently and are making multiple ' +
  'concurrent requests to a single object, make your requests serially or at a lower rate.';

/** Stripe's faults, drawn from the emulator's seeded PRNG (as reproducible as the generated customers). */
export class FaultQueue extends SharedFaultQueue<FaultSpec> {
  /** `seed`: the emulator's (a reset with another seed passes it to clear()). */
  constructor(seed = 1) {
    super(seed, (s, n) => digest(s, 'fault-rate', n).readUInt32BE(0) / 2 ** 32);
  }
}

/** The error a fault answers with, or undefined for a pure delay. */
export function faultError(fault: Omit<FaultSpec, 'count'>): StripeApiError | undefined {
  if (fault.status === undefined) {
    return undefined;
  }
  if (fault.status === 400) {
    return new StripeApiError(400, fault.message ?? 'Invalid request', { type: 'invalid_request_error' });
  }
  const shouldRetry = fault.shouldRetry ?? (fault.code === 'lock_timeout' ? true : undefined);
  const headers: Record<string, string> =
    shouldRetry === undefined ? {} : { 'Stripe-Should-Retry': String(shouldRetry) };
  if (fault.status === 500) {
    return new StripeApiError(500, fault.message ?? 'An unknown error occurred', { type: 'api_error', headers });
  }
  const lock = fault.code === 'lock_timeout';
  return new StripeApiError(429, fault.message ?? (lock ? LOCK_TIMEOUT_MESSAGE : RATE_LIMIT_MESSAGE), {
    code: lock ? 'lock_timeout' : 'rate_limit',
    headers,
  });
}

const FAULT_KEYS = ['status', 'code', 'delayMs', 'count', 'rate', 'shouldRetry', 'message', 'malformed', 'path'];

/** Validates a control-endpoint body into a fault; throws RangeError with the reason. */
export function parseFault(body: unknown): FaultSpec {
  const spec = (body ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(spec).filter((key) => !FAULT_KEYS.includes(key));
  if (unknown.length > 0) {
    throw new RangeError(`unknown field ${unknown.join(', ')}`);
  }
  const count = spec.count ?? 1;
  if (!Number.isInteger(count) || (count as number) < 1) {
    throw new RangeError('count must be a positive integer');
  }
  if (spec.status !== undefined && spec.status !== 400 && spec.status !== 429 && spec.status !== 500) {
    throw new RangeError('status must be 400, 429 or 500');
  }
  if (spec.rate !== undefined && (typeof spec.rate !== 'number' || !(spec.rate > 0 && spec.rate <= 1))) {
    throw new RangeError('rate must be a number above 0 and at most 1');
  }
  if (spec.delayMs !== undefined && (!Number.isInteger(spec.delayMs) || (spec.delayMs as number) < 0)) {
    throw new RangeError('delayMs must be a non-negative integer');
  }
  if (spec.status === undefined && spec.delayMs === undefined && spec.malformed === undefined) {
    throw new RangeError('give status (400, 429 or 500), delayMs, malformed, or a combination');
  }
  if (spec.message !== undefined && (typeof spec.message !== 'string' || spec.status === undefined)) {
    throw new RangeError('message must be a string, and only with status');
  }
  if (spec.malformed !== undefined && (spec.malformed !== true || spec.status !== undefined)) {
    throw new RangeError('malformed must be true, and not with status');
  }
  if (
    spec.code !== undefined &&
    (spec.status !== 429 || !['rate_limit', 'lock_timeout'].includes(spec.code as string))
  ) {
    throw new RangeError('code is rate_limit or lock_timeout, and only with status 429');
  }
  if (spec.path !== undefined && (typeof spec.path !== 'string' || !spec.path.startsWith('/v1/'))) {
    throw new RangeError('path must be an API path such as /v1/customers');
  }
  if (spec.shouldRetry !== undefined && typeof spec.shouldRetry !== 'boolean') {
    throw new RangeError('shouldRetry must be a boolean');
  }
  return { ...(spec as Partial<FaultSpec>), count: count as number };
}
