import { InvariantError } from '@app/common';
import { ApplicationFailure, CancelledFailure, TemporalFailure } from '@temporalio/common';
import { QueryFailedError } from 'typeorm';
import { ProviderError } from '@app/connectors';
import { toApplicationFailure } from './to-application-failure';

/**
 * What kind of failure an activity threw, decided once for every activity:
 * - provider: a ProviderError; keeps its own taxonomy (toApplicationFailure).
 * - programming: a bug of ours (TypeError, ReferenceError, RangeError, a failed invariant); never retried.
 * - database / network: Postgres or the network failed under us; retried with the activity's policy.
 * - unknown: anything else; retried, since it may well be transient.
 */
export type ActivityErrorClass = 'provider' | 'programming' | 'database' | 'network' | 'unknown';

// Node's socket/DNS codes and undici's (fetch) for a connection that failed, dropped or timed out.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
// node-postgres reports a lost or unobtainable connection as a plain Error with one of these texts.
const PG_CONNECTION_LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;
// A Postgres error (pg's DatabaseError) carries a five-character SQLSTATE and a severity.
const SQLSTATE = /^[0-9A-Z]{5}$/;

const PROGRAMMING: (new (...args: never[]) => Error)[] = [TypeError, ReferenceError, RangeError, InvariantError];

export function classifyActivityError(error: unknown): ActivityErrorClass {
  if (error instanceof ProviderError) {
    return 'provider';
  }
  if (isDatabaseError(error)) {
    return 'database';
  }
  // Before the programming check: fetch reports network failures as `TypeError: fetch failed`.
  if (isNetworkError(error)) {
    return 'network';
  }
  if (PROGRAMMING.some((type) => error instanceof type)) {
    return 'programming';
  }
  return 'unknown';
}

function isDatabaseError(error: unknown): boolean {
  if (error instanceof QueryFailedError) {
    return true;
  }
  if (!(error instanceof Error)) {
    return false;
  }
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return (
    (typeof code === 'string' && SQLSTATE.test(code) && typeof severity === 'string') ||
    PG_CONNECTION_LOST.test(error.message)
  );
}

function isNetworkError(error: unknown): boolean {
  // Walk the cause chain: undici wraps the socket error (`fetch failed` → cause ECONNRESET).
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if ((typeof code === 'string' && NETWORK_CODES.has(code)) || current.name === 'TimeoutError') {
      return true;
    }
    if (current instanceof TypeError && current.message === 'fetch failed') {
      return true;
    }
    current = current.cause;
  }
  return false;
}

/** Where an activity failed; the error id ties the Temporal failure to the worker's log line. */
export interface ActivityFailureContext {
  activity: string;
  attempt: number;
  errorId: string;
}

const FAILURE: Record<Exclude<ActivityErrorClass, 'provider'>, { type: string; what: string; retry: boolean }> = {
  programming: { type: 'InternalError', what: 'Internal error', retry: false },
  database: { type: 'DatabaseError', what: 'Database error', retry: true },
  network: { type: 'NetworkError', what: 'Network error', retry: true },
  unknown: { type: 'UnexpectedError', what: 'Unexpected error', retry: true },
};

/**
 * The failure Temporal records for an activity error: our words and an error id, never the exception's
 * own text (it can hold SQL, rows or a provider's answer). Temporal's own failures pass through.
 */
export function toActivityFailure(error: unknown, errorClass: ActivityErrorClass, at: ActivityFailureContext): unknown {
  if (error instanceof TemporalFailure) {
    return error;
  }
  if (errorClass === 'provider') {
    return toApplicationFailure(error, at.attempt);
  }
  const { type, what, retry } = FAILURE[errorClass];
  return ApplicationFailure.create({
    type,
    message: `${what} in ${at.activity} (error id ${at.errorId}): the worker log has the details`,
    nonRetryable: !retry,
    details: [{ errorId: at.errorId }],
  });
}

/** True for what the SDK itself reports as a cancelled activity: it must reach the SDK unchanged. */
export function isCancellation(error: unknown, aborted: boolean): boolean {
  return error instanceof CancelledFailure || (aborted && error instanceof Error && error.name === 'AbortError');
}
