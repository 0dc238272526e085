// Ingest's limits (libs/ingestion/src/tracking-limits.ts), copied: the SDK ships alone and imports nothing
// from the platform. A batch stays below them so ingest never refuses it whole for its size.

/** One event's JSON, in bytes: larger events are rejected locally and never sent. */
export const MAX_EVENT_BYTES = 32 * 1024;
/** One request's JSON; the SDK keeps a margin below it for the envelope (`{"batch":[…],"sentAt":…}`). */
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_ITEMS = 2_500;
/** Room for the envelope around the items of a batch. */
export const ENVELOPE_BYTES = 128;
