import { Tributary } from './client';
import { ClientClosedError, QueueFullError } from './errors';
import type { DeliveryResult } from './types';

/** A fetch that answers each request with `answer(n, items)` and records the batches it saw. */
function fakeFetch(answer: (n: number, items: { messageId: string }[]) => Response | Error) {
  const batches: { messageId: string; event?: string }[][] = [];
  const fn = ((_url: string, init: RequestInit) => {
    const items = (JSON.parse(init.body as string) as { batch: { messageId: string }[] }).batch;
    batches.push(items);
    const a = answer(batches.length, items);
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  }) as unknown as typeof fetch;
  return { fn, batches };
}

const ok = (items: { messageId: string }[]) =>
  Response.json({ success: true, results: items.map((i) => ({ status: 'accepted', messageId: i.messageId })) });
const fast = { writeKey: 'k', host: 'http://ingest.test', minRetryDelay: 1, maxRetryDelay: 5 };

describe('Tributary client', () => {
  it('sends a batch as soon as flushAt calls are queued, the rest on the interval', async () => {
    const f = fakeFetch((_n, items) => ok(items));
    const client = new Tributary({ ...fast, fetch: f.fn, flushAt: 3, flushInterval: 50 });
    const calls = [1, 2, 3, 4].map((n) => client.track({ userId: 'u', event: `e${n}` }));
    await calls[2];
    expect(f.batches.map((b) => b.length)).toEqual([3]);
    expect((await calls[3]).status).toBe('accepted');
    expect(f.batches.map((b) => b.length)).toEqual([3, 1]);
  });

  it('retries 5xx and network errors with the same messageIds', async () => {
    const f = fakeFetch((n, items) =>
      n === 1 ? new Error('ECONNRESET') : n === 2 ? new Response('', { status: 503 }) : ok(items),
    );
    const client = new Tributary({ ...fast, fetch: f.fn });
    const result = client.track({ userId: 'u', event: 'e' });
    await client.flush();
    expect((await result).status).toBe('accepted');
    expect(new Set(f.batches.map((b) => b[0].messageId)).size).toBe(1);
    expect(f.batches).toHaveLength(3);
  });

  it('never retries a 4xx other than 429, and reports it on every call of the batch', async () => {
    const f = fakeFetch(() => Response.json({ success: false, error: 'Unknown write key' }, { status: 401 }));
    const client = new Tributary({ ...fast, fetch: f.fn });
    const rejected: DeliveryResult[] = [];
    client.on('rejected', (r) => rejected.push(r));
    void client.identify({ userId: 'u' });
    void client.track({ userId: 'u', event: 'e' });
    await client.close();
    expect(f.batches).toHaveLength(1);
    expect(rejected.map((r) => [r.type, r.status, 'code' in r && r.code])).toEqual([
      ['identify', 'rejected', 'http_401'],
      ['track', 'rejected', 'http_401'],
    ]);
  });

  it('reports failed after maxAttempts', async () => {
    const f = fakeFetch(() => new Response('', { status: 500 }));
    const client = new Tributary({ ...fast, fetch: f.fn, maxAttempts: 3 });
    const result = client.track({ userId: 'u', event: 'e' });
    await client.flush();
    expect(await result).toMatchObject({ status: 'failed', attempts: 3, reason: 'ingest answered 500' });
    expect(f.batches).toHaveLength(3);
  });

  it('throws QueueFullError past maxQueueSize and ClientClosedError after close', async () => {
    const f = fakeFetch((_n, items) => ok(items));
    const client = new Tributary({ ...fast, fetch: f.fn, maxQueueSize: 2, flushAt: 10 });
    void client.track({ userId: 'u', event: 'a' });
    void client.track({ userId: 'u', event: 'b' });
    expect(() => client.track({ userId: 'u', event: 'c' })).toThrow(QueueFullError);
    await client.close();
    expect(client.pending).toBe(0);
    expect(() => client.track({ userId: 'u', event: 'd' })).toThrow(ClientClosedError);
  });

  it('rejects an event over 32 KB locally, without sending it', async () => {
    const f = fakeFetch((_n, items) => ok(items));
    const client = new Tributary({ ...fast, fetch: f.fn });
    const result = await client.track({ userId: 'u', event: 'big', properties: { blob: 'x'.repeat(33 * 1024) } });
    expect(result).toMatchObject({ status: 'rejected', code: 'too_large' });
    await client.close();
    expect(f.batches).toHaveLength(0);
  });
});
