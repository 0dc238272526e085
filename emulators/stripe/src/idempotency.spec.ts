// Idempotency-Key on writes: replay, refusal of other parameters, per account, 24 h of the clock, and
// nothing saved for requests that never reached their route.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './server';
import { EmulatorState } from './state';

const NOW = Date.UTC(2026, 0, 15, 12) / 1000;
const FORM = { authorization: 'Bearer sk_test_tributary', 'content-type': 'application/x-www-form-urlencoded' };
type Json = Record<string, any>;

describe('idempotent requests', () => {
  let state: EmulatorState;
  let app: FastifyInstance;

  beforeEach(() => {
    state = new EmulatorState({ customers: 5, seed: 5, clock: () => NOW * 1000 });
    app = buildApp(state);
  });
  afterEach(() => app.close());

  const send = async (method: 'POST' | 'DELETE', url: string, payload: string, key: string, headers = FORM) => {
    const response = await app.inject({ method, url, payload, headers: { ...headers, 'idempotency-key': key } });
    return { status: response.statusCode, headers: response.headers, body: response.json<Json>() };
  };
  const create = (payload: string, key: string, headers = FORM) => send('POST', '/v1/customers', payload, key, headers);
  const createdEvents = () => state.events.list().filter((entry) => entry.event.type === 'customer.created').length;

  it('replays the saved response without writing again, and echoes the key', async () => {
    const first = await create('name=Once', 'k1');
    expect(first.headers['idempotency-key']).toBe('k1');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await create('name=Once', 'k1');
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['idempotency-key']).toBe('k1');
    expect(createdEvents()).toBe(1);
    expect(state.customers.list()).toHaveLength(6);
  });

  it('refuses the same key with other parameters or another URL', async () => {
    await create('name=Once', 'k1');
    const other = await create('name=Twice', 'k1');
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ type: 'idempotency_error' });
    expect(other.body.error.message).toContain("other than 'k1'");
    expect((await send('DELETE', `/v1/customers/${state.customers.list()[0].id}`, '', 'k1')).status).toBe(400);
    expect(createdEvents()).toBe(1);
  });

  it('keeps keys per account and for 24 hours of the clock', async () => {
    const other = state.accounts.createKey();
    await create('name=Once', 'k1');
    expect(
      (await create('name=Once', 'k1', { ...FORM, authorization: `Bearer ${other.key}` })).headers[
        'idempotent-replayed'
      ],
    ).toBeUndefined();
    await app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advance: 86_400 } });
    expect((await create('name=Once', 'k1')).headers['idempotent-replayed']).toBe('true');
    await app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advance: 1 } });
    expect((await create('name=Once', 'k1')).headers['idempotent-replayed']).toBeUndefined();
    expect(createdEvents()).toBe(3);
  });

  it('saves an error the route answered, but not an injected fault', async () => {
    const missing = await send('POST', '/v1/customers/cus_none', 'name=x', 'k2');
    expect(missing.status).toBe(404);
    expect(await send('POST', '/v1/customers/cus_none', 'name=x', 'k2')).toMatchObject({
      status: 404,
      body: missing.body,
      headers: { 'idempotent-replayed': 'true' },
    });
    await app.inject({ method: 'POST', url: '/_emulator/faults', payload: { status: 500 } });
    const failed = await create('name=Retry', 'k3');
    expect(failed.status).toBe(500);
    expect(failed.headers['idempotency-key']).toBe('k3');
    const retried = await create('name=Retry', 'k3');
    expect(retried.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });
});
