// Injected faults for the next N API responses, first in first out: a 429 in one of HubSpot's three policies, a
// 5xx, or a delay (alone or before the error). A fault with a `rate` hits only that share of the requests it
// applies to, drawn from a PRNG seeded with the emulator's seed, so the same requests meet the same faults.
import { HubSpotError, internalError, rateLimited, type RateLimitPolicy } from './errors';
import { stableFraction } from './random';
import { FaultQueue as SharedFaultQueue, type QueuedFault } from '../../shared/fault-queue';

export interface FaultSpec extends QueuedFault {
  /** 429, 500, 502 or 503; omitted for a pure delay. */
  status?: 429 | 500 | 502 | 503;
  /** For 429: which limit answers (default TEN_SECONDLY_ROLLING). */
  policy?: RateLimitPolicy;
  /** For 429: send Retry-After with this many seconds. */
  retryAfter?: number;
  delayMs?: number;
  /** How many responses it applies to (with `rate`: how many it hits). */
  count: number;
  /** 0 < rate ≤ 1: the share of requests hit; rate faults a request meets share one draw (their rates add up). */
  rate?: number;
  /** Only requests to this path (e.g. /crm/v3/objects/contacts/search) consume it. */
  path?: string;
}

/** HubSpot's faults, drawn from the emulator's seeded PRNG. */
export class FaultQueue extends SharedFaultQueue<FaultSpec> {
  constructor(seed: number) {
    super(seed, (s, n) => stableFraction(s, 'fault', n));
  }
}

/** The error a fault answers with, or undefined for a pure delay. */
export function faultError(fault: Omit<FaultSpec, 'count'>, groupName: string): HubSpotError | undefined {
  if (fault.status === undefined) {
    return undefined;
  }
  if (fault.status === 429) {
    return rateLimited(fault.policy ?? 'TEN_SECONDLY_ROLLING', groupName, fault.retryAfter);
  }
  if (fault.status === 500) {
    return internalError();
  }
  // A gateway's answer, not HubSpot's JSON: what a client sees when HubSpot's edge gives up.
  return new HubSpotError(fault.status, fault.status === 502 ? 'Bad Gateway' : 'Service Unavailable', {
    category: 'SERVICE_UNAVAILABLE',
  });
}

const FAULT_KEYS = ['status', 'policy', 'retryAfter', 'delayMs', 'count', 'rate', 'path'];
const POLICIES = ['TEN_SECONDLY_ROLLING', 'SECONDLY', 'DAILY'];

/** Validates a control body into a fault; throws RangeError with the reason. */
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
  if (spec.status !== undefined && ![429, 500, 502, 503].includes(spec.status as number)) {
    throw new RangeError('status must be 429, 500, 502 or 503');
  }
  if (spec.status === undefined && spec.delayMs === undefined) {
    throw new RangeError('give status, delayMs or both');
  }
  if (spec.delayMs !== undefined && (!Number.isInteger(spec.delayMs) || (spec.delayMs as number) < 0)) {
    throw new RangeError('delayMs must be a non-negative integer');
  }
  if ((spec.policy !== undefined || spec.retryAfter !== undefined) && spec.status !== 429) {
    throw new RangeError('policy and retryAfter go only with status 429');
  }
  if (spec.policy !== undefined && !POLICIES.includes(spec.policy as string)) {
    throw new RangeError(`policy must be one of ${POLICIES.join(', ')}`);
  }
  if (spec.retryAfter !== undefined && (!Number.isInteger(spec.retryAfter) || (spec.retryAfter as number) < 0)) {
    throw new RangeError('retryAfter must be a non-negative integer (seconds)');
  }
  if (spec.rate !== undefined && (typeof spec.rate !== 'number' || !(spec.rate > 0 && spec.rate <= 1))) {
    throw new RangeError('rate must be a number above 0 and at most 1');
  }
  if (spec.path !== undefined && (typeof spec.path !== 'string' || !spec.path.startsWith('/crm/'))) {
    throw new RangeError('path must be an API path such as /crm/v3/objects/contacts');
  }
  return { ...(spec as Partial<FaultSpec>), count: count as number };
}
