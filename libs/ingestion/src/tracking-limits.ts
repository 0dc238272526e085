// Segment's published limits (HTTP Tracking API), applied after decompression.

/** One event's JSON, in bytes. */
export const MAX_EVENT_BYTES = 32 * 1024;
/** One request's JSON (a batch or a single call), in bytes. */
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_ITEMS = 2_500;
/** A compressed body larger than this is refused before it is inflated. */
export const MAX_WIRE_BYTES = MAX_BATCH_BYTES;
/** Segment drops messageIds over 100 characters; we refuse them with a reason instead. */
export const MAX_MESSAGE_ID_LENGTH = 100;
/** userId, anonymousId, groupId, previousId (Segment drops groupIds over 500 characters). */
export const MAX_ID_LENGTH = 500;
/** Nesting of objects and arrays in one event: deeper JSON would exhaust the stack of a serialiser. */
export const MAX_EVENT_DEPTH = 64;
