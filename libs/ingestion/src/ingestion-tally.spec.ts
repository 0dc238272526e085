import { IngestionTally, MAX_PENDING_REJECTIONS, REJECTION_PAYLOAD_CHARS, truncatedPayload } from './ingestion-tally';

const S = '00000000-0000-4000-8000-000000000001';
const at = new Date('2026-01-01T10:05:30.123Z');

describe('IngestionTally', () => {
  it('counts results per (source, minute, status) and keeps each rejection with its own item', () => {
    const tally = new IngestionTally();
    tally.addResults(
      S,
      [
        { status: 'accepted', messageId: 'a' },
        { status: 'duplicate', messageId: 'b' },
        { status: 'rejected', messageId: 'c', code: 'missing_identity', field: 'userId', reason: 'no id' },
        { status: 'accepted', messageId: 'd' },
      ],
      at,
      [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }],
    );
    tally.add(S, 'rate_limited', new Date('2026-01-01T10:06:00.000Z'), 5);
    const batch = tally.drain();
    expect(batch.counters).toEqual([
      { source_id: S, minute: '2026-01-01T10:05:00.000Z', status: 'accepted', count: 2 },
      { source_id: S, minute: '2026-01-01T10:05:00.000Z', status: 'duplicate', count: 1 },
      { source_id: S, minute: '2026-01-01T10:05:00.000Z', status: 'rejected', count: 1 },
      { source_id: S, minute: '2026-01-01T10:06:00.000Z', status: 'rate_limited', count: 5 },
    ]);
    expect(batch.rejections).toEqual([
      expect.objectContaining({ message_id: 'c', code: 'missing_identity', field: 'userId', payload: '{"n":3}' }),
    ]);
    expect(tally.empty).toBe(true);
  });

  it('puts a failed batch back so the next drain carries it, added to what came since', () => {
    const tally = new IngestionTally();
    tally.add(S, 'accepted', at, 3);
    const failed = tally.drain();
    tally.add(S, 'accepted', at, 2);
    tally.restore(failed);
    expect(tally.drain().counters).toEqual([
      { source_id: S, minute: '2026-01-01T10:05:00.000Z', status: 'accepted', count: 5 },
    ]);
  });

  it('keeps at most MAX_PENDING_REJECTIONS rejections between flushes, and counts the rest', () => {
    const tally = new IngestionTally();
    const r = { messageId: null, code: 'invalid_type', field: 'type', reason: 'bad' };
    for (let i = 0; i < MAX_PENDING_REJECTIONS + 3; i++) {
      tally.keepRejection(S, at, r, {});
    }
    const batch = tally.drain();
    expect(batch.rejections).toHaveLength(MAX_PENDING_REJECTIONS);
    expect(batch.droppedRejections).toBe(3);
  });
});

describe('truncatedPayload', () => {
  it('keeps a small item whole', () => {
    expect(truncatedPayload({ a: 'x' })).toEqual({ payload: '{"a":"x"}', truncated: false });
  });

  it('cuts a large item at the limit and says so', () => {
    const { payload, truncated } = truncatedPayload({ big: 'y'.repeat(5000) });
    expect(truncated).toBe(true);
    expect(payload).toHaveLength(REJECTION_PAYLOAD_CHARS);
    expect(payload.startsWith('{"big":"yyy')).toBe(true);
  });

  it('never ends on half a surrogate pair', () => {
    const prefix = '{"e":"' + 'z'.repeat(REJECTION_PAYLOAD_CHARS - 7);
    const { payload } = truncatedPayload(JSON.parse(prefix + '😀"}'));
    expect(payload).toBe(prefix);
  });
});
