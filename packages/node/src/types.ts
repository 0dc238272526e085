/** JSON-compatible values, as ingest stores them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };
export type Properties = Record<string, unknown>;

/** Every call needs a userId or an anonymousId (ingest rejects an item with neither: `missing_identity`). */
export interface Identity {
  userId?: string;
  anonymousId?: string;
}

/** Fields every call may carry; messageId and timestamp are generated when absent. */
export interface Common extends Identity {
  messageId?: string;
  timestamp?: Date | string;
  context?: Properties;
  integrations?: Record<string, unknown>;
}

export interface IdentifyMessage extends Common {
  traits?: Properties;
}
export interface TrackMessage extends Common {
  event: string;
  properties?: Properties;
}
export interface PageMessage extends Common {
  name?: string;
  category?: string;
  properties?: Properties;
}
export interface ScreenMessage extends Common {
  name?: string;
  category?: string;
  properties?: Properties;
}
export interface GroupMessage extends Common {
  groupId: string;
  traits?: Properties;
}
export interface AliasMessage extends Common {
  userId: string;
  previousId: string;
}

export type MessageType = 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias';

/**
 * What became of one call. `accepted`, `duplicate` (an earlier attempt was stored: retries dedupe on
 * messageId) and `quarantined` mean stored; `rejected` is ingest's (or the SDK's own) refusal with a code,
 * the offending field and a reason; `failed` means the SDK gave up delivering (retries exhausted, closed).
 */
export type DeliveryResult = Stored | Quarantined | Rejected | Failed;

export interface Stored {
  status: 'accepted' | 'duplicate';
  messageId: string;
  type: MessageType;
}
/** Stored, but held by a tracking plan: treat as stored. */
export interface Quarantined {
  status: 'quarantined';
  messageId: string;
  type: MessageType;
  code: string;
  field: string;
  reason: string;
}
export interface Rejected {
  status: 'rejected';
  messageId: string;
  type: MessageType;
  code: string;
  field: string;
  reason: string;
}
export interface Failed {
  status: 'failed';
  messageId: string;
  type: MessageType;
  reason: string;
  attempts: number;
}

export interface TributaryOptions {
  /** The source's write key (sent as the HTTP Basic username; never logged by the SDK). */
  writeKey: string;
  /** Ingest's origin, e.g. `https://ingest.example.com`. */
  host: string;
  /** Send when this many calls are queued (default 100, at most 2,500). */
  flushAt?: number;
  /** Send when the queued JSON reaches this many bytes (default and maximum: just under 500 KB). */
  flushBytes?: number;
  /** Send what is queued at most this long after the first call (ms, default 1,000). */
  flushInterval?: number;
  /** Calls held in memory (queued, in flight or waiting to retry); one more throws QueueFullError. */
  maxQueueSize?: number;
  /** Batches in flight at once (default 4). */
  maxInFlight?: number;
  /** Attempts per batch before its calls are reported `failed` (default 10). */
  maxAttempts?: number;
  /** Backoff between attempts: min(maxDelay, minDelay·2^n) with jitter (ms; defaults 200 and 30,000). */
  minRetryDelay?: number;
  maxRetryDelay?: number;
  /** One request's time limit (ms, default 15,000); a timeout is retried. */
  timeout?: number;
  /** gzip request bodies (default false: cheaper CPU on a local network). */
  gzip?: boolean;
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
}
