import { randomUUID } from 'node:crypto';
import type { Common, MessageType } from './types.js';
import { VERSION } from './version.js';

const LIBRARY = { name: '@tributary/node', version: VERSION };

/**
 * The wire form of one call: a messageId made here (so every retry of it dedupes in ingest), the call's
 * time, and the library in context. The caller's own messageId and timestamp win.
 */
export function buildMessage(type: MessageType, call: Common & Record<string, unknown>): Record<string, unknown> {
  const timestamp =
    call.timestamp instanceof Date ? call.timestamp.toISOString() : (call.timestamp ?? new Date().toISOString());
  return {
    ...call,
    type,
    messageId: call.messageId ?? randomUUID(),
    timestamp,
    context: { ...call.context, library: LIBRARY },
  };
}
