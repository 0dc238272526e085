import { ENVELOPE_BYTES, MAX_BATCH_BYTES, MAX_BATCH_ITEMS } from './limits.js';
import type { DeliveryResult, MessageType } from './types.js';

/** One call waiting for its answer: its JSON is made once, when it is queued. */
export interface Pending {
  messageId: string;
  type: MessageType;
  json: string;
  bytes: number;
  settle: (result: DeliveryResult) => void;
}

export interface BatchLimits {
  maxItems: number;
  maxBytes: number;
}

/** The limits in effect: the caller's, clamped to ingest's. */
export function batchLimits(flushAt: number | undefined, flushBytes: number | undefined): BatchLimits {
  const ceiling = MAX_BATCH_BYTES - ENVELOPE_BYTES;
  return {
    maxItems: Math.max(1, Math.min(MAX_BATCH_ITEMS, flushAt ?? 100)),
    maxBytes: Math.max(1, Math.min(ceiling, flushBytes ?? ceiling)),
  };
}

/**
 * Takes the next batch off the front of `queue`: as many calls as fit both limits (one comma between
 * items counts too), at least one. Order is kept.
 */
export function takeBatch(queue: Pending[], limits: BatchLimits): Pending[] {
  let bytes = 0;
  let count = 0;
  while (count < queue.length && count < limits.maxItems) {
    const next = bytes + queue[count].bytes + (count > 0 ? 1 : 0);
    if (count > 0 && next > limits.maxBytes) {
      break;
    }
    bytes = next;
    count++;
  }
  return queue.splice(0, count);
}

/** Whether the queue holds a full batch (send now rather than wait for the interval). */
export function batchReady(queuedItems: number, queuedBytes: number, limits: BatchLimits): boolean {
  return queuedItems >= limits.maxItems || queuedBytes >= limits.maxBytes;
}

/** The request body: the items' JSON is spliced in as made, never parsed again. */
export function batchBody(items: Pending[], sentAt: Date): string {
  return `{"batch":[${items.map((i) => i.json).join(',')}],"sentAt":"${sentAt.toISOString()}"}`;
}
