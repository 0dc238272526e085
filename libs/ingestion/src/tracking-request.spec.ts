import { MAX_BATCH_ITEMS } from './tracking-limits';
import { splitTrackingRequest } from './tracking-request';

const receivedAt = new Date('2026-12-01T12:00:00.000Z');

describe('splitTrackingRequest', () => {
  it('gives a single call one item, typed by its endpoint', () => {
    const split = splitTrackingRequest({ userId: 'u', event: 'e' }, 'track', receivedAt);
    expect(split).toMatchObject({ ok: true, items: [{ ok: true, event: { type: 'track', event: 'e' } }] });
  });

  it('gives each batch item its own result, in order, with the batch’s context merged', () => {
    const split = splitTrackingRequest(
      {
        context: { library: { name: 'analytics-python' } },
        batch: [
          { type: 'identify', userId: 'u' },
          { type: 'track', userId: 'u' },
          'not an object',
          { type: 'page', anonymousId: 'a' },
        ],
      },
      'batch',
      receivedAt,
    );
    if (!split.ok) {
      throw new Error(split.reason);
    }
    expect(split.items.map((i) => (i.ok ? 'ok' : `${i.code}:${i.field}`))).toEqual([
      'ok',
      'missing_field:event',
      'invalid_message:',
      'ok',
    ]);
    expect(split.items[3]).toMatchObject({
      event: { payload: { context: { library: { name: 'analytics-python' } } } },
    });
  });

  it('refuses a batch that is not an object with a batch array (400), or has too many items (413)', () => {
    expect(splitTrackingRequest({ events: [] }, 'batch', receivedAt)).toMatchObject({
      ok: false,
      status: 400,
      field: 'batch',
    });
    expect(splitTrackingRequest([], 'batch', receivedAt)).toMatchObject({ ok: false, status: 400 });
    expect(splitTrackingRequest({ batch: [], context: 'x' }, 'batch', receivedAt)).toMatchObject({
      ok: false,
      status: 400,
      field: 'context',
    });
    const tooMany = Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => ({ type: 'identify', userId: 'u' }));
    expect(splitTrackingRequest({ batch: tooMany }, 'batch', receivedAt)).toMatchObject({
      ok: false,
      status: 413,
      code: 'too_many_items',
    });
    const full = splitTrackingRequest({ batch: tooMany.slice(1) }, 'batch', receivedAt);
    expect(full.ok && full.items.length).toBe(MAX_BATCH_ITEMS);
  });

  it('refuses a batch whose shared context holds text Postgres cannot store', () => {
    expect(splitTrackingRequest({ batch: [], context: { a: '\u0000' } }, 'batch', receivedAt)).toMatchObject({
      ok: false,
      status: 400,
      code: 'invalid_text',
    });
  });
});
