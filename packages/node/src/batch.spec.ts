import { type Pending, batchBody, batchLimits, batchReady, takeBatch } from './batch';
import { ENVELOPE_BYTES, MAX_BATCH_BYTES, MAX_BATCH_ITEMS } from './limits';

const item = (bytes: number, n = 0): Pending => ({
  messageId: `m${n}`,
  type: 'track',
  json: `"${'x'.repeat(bytes - 2)}"`,
  bytes,
  settle: () => undefined,
});

describe('batching', () => {
  it("clamps the caller's limits to ingest's", () => {
    expect(batchLimits(undefined, undefined)).toEqual({ maxItems: 100, maxBytes: MAX_BATCH_BYTES - ENVELOPE_BYTES });
    expect(batchLimits(10_000, 10_000_000)).toEqual({
      maxItems: MAX_BATCH_ITEMS,
      maxBytes: MAX_BATCH_BYTES - ENVELOPE_BYTES,
    });
    expect(batchLimits(0, 0)).toEqual({ maxItems: 1, maxBytes: 1 });
  });

  it('takes at most maxItems, in order', () => {
    const queue = Array.from({ length: 7 }, (_, n) => item(10, n));
    expect(takeBatch(queue, { maxItems: 3, maxBytes: 1_000 }).map((i) => i.messageId)).toEqual(['m0', 'm1', 'm2']);
    expect(queue.map((i) => i.messageId)).toEqual(['m3', 'm4', 'm5', 'm6']);
  });

  it('stops before the bytes limit (commas counted) but always takes one', () => {
    // 40 + 1 + 40 = 81 fits 81, not 80; the third would make 122.
    expect(takeBatch([item(40, 0), item(40, 1), item(40, 2)], { maxItems: 100, maxBytes: 81 })).toHaveLength(2);
    expect(takeBatch([item(40, 0), item(40, 1)], { maxItems: 100, maxBytes: 80 })).toHaveLength(1);
    expect(takeBatch([item(500)], { maxItems: 100, maxBytes: 81 })).toHaveLength(1);
  });

  it('a body of a full batch stays under ingest’s 500 KB', () => {
    const limits = batchLimits(MAX_BATCH_ITEMS, undefined);
    const queue = Array.from({ length: 100 }, (_, n) => item(32 * 1024, n));
    const batch = takeBatch(queue, limits);
    const body = batchBody(batch, new Date());
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(batch.length).toBe(15);
    expect((JSON.parse(body) as { batch: unknown[] }).batch).toHaveLength(15);
  });

  it('is ready by count or by bytes', () => {
    const limits = { maxItems: 10, maxBytes: 1_000 };
    expect(batchReady(9, 999, limits)).toBe(false);
    expect(batchReady(10, 1, limits)).toBe(true);
    expect(batchReady(1, 1_000, limits)).toBe(true);
  });
});
