// `/v1/webhook_endpoints` through the HTTP routes: the fixture's fields, the secret shown once, per account.
import type { FastifyInstance } from 'fastify';
import fixture from '../../fixtures/webhook_endpoint.json';
import { buildApp } from '../server';
import { EmulatorState } from '../state';

const NOW = Date.UTC(2026, 0, 15, 12) / 1000;
const AUTH = { authorization: 'Bearer sk_test_tributary' };
type Json = Record<string, any>;

describe('webhook endpoint routes', () => {
  let state: EmulatorState;
  let app: FastifyInstance;

  beforeEach(() => {
    state = new EmulatorState({ customers: 5, seed: 5, clock: () => NOW * 1000 });
    app = buildApp(state);
  });
  afterEach(() => app.close());

  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: string, auth = AUTH) => {
    const headers = payload === undefined ? auth : { ...auth, 'content-type': 'application/x-www-form-urlencoded' };
    const response = await app.inject({ method, url, payload, headers });
    return { status: response.statusCode, body: response.json<Json>() };
  };
  const create = (form: string, auth = AUTH) => call('POST', '/v1/webhook_endpoints', form, auth);

  it('creates an endpoint with the fixture fields, showing the secret only once', async () => {
    const created = await create(
      'url=http%3A%2F%2F127.0.0.1%3A9%2Fhook&enabled_events[]=customer.updated&enabled_events[]=customer.deleted' +
        '&description=Sync&metadata[source]=s1',
    );
    expect(created.status).toBe(200);
    const { secret, ...endpoint } = created.body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    expect(Object.keys(endpoint).sort()).toEqual(Object.keys(fixture).sort());
    expect(endpoint).toMatchObject({
      object: 'webhook_endpoint',
      url: 'http://127.0.0.1:9/hook',
      enabled_events: ['customer.updated', 'customer.deleted'],
      description: 'Sync',
      metadata: { source: 's1' },
      status: 'enabled',
      created: NOW,
      livemode: false,
    });
    expect(endpoint.id).toMatch(/^we_/);
    expect((await call('GET', `/v1/webhook_endpoints/${endpoint.id}`)).body).toEqual(endpoint);
    expect((await call('GET', '/v1/webhook_endpoints')).body).toMatchObject({ data: [endpoint], has_more: false });
  });

  it('updates, disables and deletes; unknown ids are 404', async () => {
    const { id } = (await create('url=https%3A%2F%2Fx.test%2Fh&enabled_events[0]=*')).body;
    const updated = await call(
      'POST',
      `/v1/webhook_endpoints/${id}`,
      'disabled=true&enabled_events[0]=customer.created',
    );
    expect(updated.body).toMatchObject({
      status: 'disabled',
      enabled_events: ['customer.created'],
      url: 'https://x.test/h',
    });
    expect(state.webhooks.endpoints.receivers(state.accounts.defaultAccount, 'customer.created')).toEqual([]);
    expect((await call('DELETE', `/v1/webhook_endpoints/${id}`)).body).toEqual({
      id,
      object: 'webhook_endpoint',
      deleted: true,
    });
    expect((await call('GET', `/v1/webhook_endpoints/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/webhook_endpoints/${id}`)).status).toBe(404);
  });

  it('refuses a missing url or events, and an unknown parameter', async () => {
    expect((await create('enabled_events[]=*')).body.error).toMatchObject({ code: 'parameter_missing', param: 'url' });
    expect((await create('url=https%3A%2F%2Fx.test')).body.error.param).toBe('enabled_events');
    expect((await create('url=ftp%3A%2F%2Fx.test&enabled_events[]=*')).body.error.param).toBe('url');
    expect((await create('url=https%3A%2F%2Fx.test&enabled_events[]=*&x=1')).body.error.code).toBe('parameter_unknown');
  });

  it('keeps each account to its own endpoints', async () => {
    const other = state.accounts.createKey();
    const mine = (await create('url=https%3A%2F%2Fx.test&enabled_events[]=*')).body;
    const theirs = (
      await create('url=https%3A%2F%2Fy.test&enabled_events[]=*', { authorization: `Bearer ${other.key}` })
    ).body;
    expect((await call('GET', '/v1/webhook_endpoints')).body.data.map((e: Json) => e.id)).toEqual([mine.id]);
    expect((await call('GET', `/v1/webhook_endpoints/${theirs.id}`)).status).toBe(404);
    expect(state.webhooks.endpoints.receivers(other.account, 'customer.updated').map((r) => r.secret)).toEqual([
      theirs.secret,
    ]);
  });
});
