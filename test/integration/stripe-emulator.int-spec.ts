// The Stripe emulator seen through the official client, configured exactly as our connector configures it
// (cloud-apis.md §1.9). Each test starts from a fresh reset: 250 customers of seed 1, no faults, no stats.
import Stripe from 'stripe';
import {
  type Customer,
  startStripeEmulator,
  type StatsSnapshot,
  type StripeEmulator,
} from '../../emulators/stripe/src';

const NOW_MS = Date.UTC(2026, 0, 15, 12);
const RESTRICTED_KEY = 'rk_test_readonly51abcdef';

describe('Stripe emulator: GET /v1/customers through stripe-node 23', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let all: Customer[];

  const client = (key: string, maxNetworkRetries = 0): Stripe =>
    new Stripe(key, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries });
  const control = async <T>(method: string, path: string, body?: object): Promise<T> => {
    const init: RequestInit = body
      ? { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : { method };
    const response = await fetch(`${emulator.url}/_emulator${path}`, init);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const apiCalls = async (status: number): Promise<number> =>
    (await control<StatsSnapshot>('GET', '/stats')).byRoute['GET /v1/customers']?.[String(status)] ?? 0;
  const ids = (customers: { id: string }[]): string[] => customers.map((customer) => customer.id);

  beforeAll(async () => {
    emulator = await startStripeEmulator({ restrictedKeys: [RESTRICTED_KEY], clock: () => NOW_MS });
    stripe = client('sk_test_tributary');
  });
  beforeEach(async () => {
    await control('POST', '/reset', {});
    all = (await control<{ data: Customer[] }>('GET', '/customers')).data;
  });
  afterAll(() => emulator.close());

  it('auto-paginates all 250 customers newest first, without duplicates, equal to the emulator state', async () => {
    const listed = await stripe.customers.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    expect(listed).toHaveLength(250);
    expect(new Set(ids(listed)).size).toBe(250);
    expect(listed).toEqual(all);
    listed.slice(1).forEach((customer, i) => expect(customer.created).toBeLessThan(listed[i].created));
    expect(listed[249]).toMatchObject({ email: 'customer0001@example.test', object: 'customer', livemode: false });
    expect(listed[0].id).toMatch(/^cus_[0-9A-Za-z]{14}$/);
    expect(await apiCalls(200)).toBe(3);
  });

  it('pages with starting_after and ending_before as Stripe does, both ways', async () => {
    const first = await stripe.customers.list();
    expect(first).toMatchObject({ object: 'list', url: '/v1/customers', has_more: true });
    expect(ids(first.data)).toEqual(ids(all.slice(0, 10)));
    const next = await stripe.customers.list({ starting_after: all[9].id, limit: 20 });
    expect([ids(next.data), next.has_more]).toEqual([ids(all.slice(10, 30)), true]);
    const before = await stripe.customers.list({ ending_before: all[30].id, limit: 5 });
    expect([ids(before.data), before.has_more]).toEqual([ids(all.slice(25, 30)), true]);
    const top = await stripe.customers.list({ ending_before: all[3].id, limit: 5 });
    expect([ids(top.data), top.has_more]).toEqual([ids(all.slice(0, 3)), false]);
    const last = await stripe.customers.list({ starting_after: all[245].id, limit: 100 });
    expect([ids(last.data), last.has_more]).toEqual([ids(all.slice(246)), false]);
    const backwards = await stripe.customers
      .list({ ending_before: all[120].id, limit: 50 })
      .autoPagingToArray({ limit: 1000 });
    expect(ids(backwards)).toEqual(ids(all.slice(0, 120)).reverse());
    await expect(stripe.customers.list({ starting_after: all[1].id, ending_before: all[0].id })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      message: 'Received both starting_after and ending_before parameters. Please pass in only one.',
    });
  });

  it('filters on created[gt|gte|lt|lte] and exact created', async () => {
    const at = (i: number): number => all[i].created;
    const list = (created: Stripe.RangeQueryParam | number) =>
      stripe.customers.list({ created, limit: 100 }).autoPagingToArray({ limit: 1000 });
    expect(ids(await list({ gte: at(100) }))).toEqual(ids(all.slice(0, 101)));
    expect(ids(await list({ gt: at(100) }))).toEqual(ids(all.slice(0, 100)));
    expect(ids(await list({ lt: at(100), gte: at(110) }))).toEqual(ids(all.slice(101, 111)));
    expect(ids(await list({ lte: at(248) }))).toEqual(ids(all.slice(248)));
    expect(ids(await list(at(42)))).toEqual([all[42].id]);
    const filtered = await stripe.customers.list({ created: { lt: at(10) }, starting_after: all[3].id, limit: 3 });
    expect(ids(filtered.data)).toEqual(ids(all.slice(11, 14)));
  });

  it('drops deleted customers from the list, retrieves them as deleted, and refuses them as a cursor', async () => {
    const gone = all[5].id;
    await control('POST', '/customers/delete', { ids: [gone] });
    expect(ids((await stripe.customers.list()).data)).not.toContain(gone);
    expect(await stripe.customers.retrieve(gone)).toMatchObject({ id: gone, object: 'customer', deleted: true });
    expect(await stripe.customers.retrieve(all[6].id)).toMatchObject(all[6]);
    const cursorError = { type: 'StripeInvalidRequestError', statusCode: 400, code: 'resource_missing' };
    await expect(stripe.customers.list({ starting_after: gone })).rejects.toMatchObject({
      ...cursorError,
      param: 'starting_after',
      message: `No such customer: '${gone}'`,
    });
    await expect(stripe.customers.list({ ending_before: gone })).rejects.toMatchObject({
      ...cursorError,
      param: 'ending_before',
    });
    await expect(stripe.customers.retrieve('cus_doesnotexist00')).rejects.toMatchObject({
      ...cursorError,
      statusCode: 404,
      param: 'id',
    });
    expect(await stripe.customers.list({ limit: 100 }).autoPagingToArray({ limit: 1000 })).toHaveLength(249);
  });

  it('orders customers seeded in the same second by id, and keeps created when customers are updated', async () => {
    const seeded = (await control<{ data: Customer[] }>('POST', '/customers/seed', { count: 3 })).data;
    expect(seeded.map((customer) => customer.created)).toEqual(Array(3).fill(NOW_MS / 1000));
    const page = await stripe.customers.list({ limit: 3 });
    expect(ids(page.data)).toEqual(ids(seeded).sort().reverse());
    const updated = (await control<{ data: Customer[] }>('POST', '/customers/update', { ids: [all[7].id] })).data;
    expect(updated[0]).toMatchObject({ id: all[7].id, created: all[7].created, metadata: { tributary_revision: '1' } });
    expect((await stripe.customers.list({ starting_after: all[6].id, limit: 1 })).data[0]).toEqual(updated[0]);
  });

  it('refuses a bad key with 401, echoing its tail as Stripe does', async () => {
    const badKey = 'sk_live_51NotForTheEmulator9876';
    const error = await client(badKey)
      .customers.list()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error).toMatchObject({ statusCode: 401, rawType: 'invalid_request_error' });
    expect((error as Error).message).toBe(`Invalid API Key provided: sk_live_${'*'.repeat(19)}9876`);
    // Only configured keys pass: another well-formed test key is as unknown as it would be to Stripe.
    const unknown = await client('sk_test_NotConfigured1234')
      .customers.list()
      .catch((caught: unknown) => caught);
    expect(unknown).toMatchObject({ statusCode: 401, rawType: 'invalid_request_error' });
    expect((unknown as Error).message).toBe(`Invalid API Key provided: sk_test_${'*'.repeat(13)}1234`);
    const noKey = await fetch(`${emulator.url}/v1/customers`);
    expect(noKey.status).toBe(401);
    const basic = `Basic ${Buffer.from('sk_test_tributary:').toString('base64')}`;
    expect((await fetch(`${emulator.url}/v1/customers?limit=1`, { headers: { authorization: basic } })).status).toBe(
      200,
    );
  });

  it('refuses a configured restricted key with 403', async () => {
    const error = await client(RESTRICTED_KEY)
      .customers.list()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect(error).toMatchObject({ statusCode: 403, rawType: 'invalid_request_error' });
    expect((error as Error).message).toContain("'rk_test_**********abcdef'");
    expect((error as Error).message).toContain("Having the 'rak_customer_read' permission");
  });

  it('answers an injected 429 plainly (no Retry-After), and the client does not retry it', async () => {
    await control('POST', '/faults', { status: 429, count: 1 });
    const error = await client('sk_test_tributary', 2)
      .customers.list()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(error).toMatchObject({ statusCode: 429, code: 'rate_limit', rawType: 'invalid_request_error' });
    expect((error as Stripe.errors.StripeError).headers).not.toHaveProperty('retry-after');
    expect((error as Stripe.errors.StripeError).headers).not.toHaveProperty('stripe-should-retry');
    expect([await apiCalls(429), await apiCalls(200)]).toEqual([1, 0]);
    await control('POST', '/faults', { status: 429, code: 'lock_timeout', count: 1 });
    expect((await client('sk_test_tributary', 1).customers.list()).data).toHaveLength(10);
    expect([await apiCalls(429), await apiCalls(200)]).toEqual([2, 1]);
  });

  it('answers injected 500s with api_error, for as many responses as asked', async () => {
    await control('POST', '/faults', { status: 500, count: 2 });
    for (let i = 0; i < 2; i++) {
      const error = await stripe.customers.list().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
      expect(error).toMatchObject({ statusCode: 500, rawType: 'api_error', message: 'An unknown error occurred' });
    }
    expect((await stripe.customers.list()).data).toHaveLength(10);
  });

  it('delays the next response when asked to be slow', async () => {
    await control('POST', '/faults', { delayMs: 400, count: 1 });
    const started = performance.now();
    await stripe.customers.list({ limit: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect((await control<{ pending: unknown[] }>('GET', '/faults')).pending).toEqual([]);
  });

  it('refuses limit 0 and 101 with a 400 on param limit', async () => {
    for (const [limit, message] of [
      [0, 'This value must be greater than or equal to 1.'],
      [101, 'This value must be less than or equal to 100.'],
    ] as const) {
      await expect(stripe.customers.list({ limit })).rejects.toMatchObject({
        type: 'StripeInvalidRequestError',
        statusCode: 400,
        param: 'limit',
        message,
      });
    }
  });

  it('sends Request-Id and Stripe-Version on every API response', async () => {
    const page = await stripe.customers.list({ limit: 1 });
    expect(page.lastResponse.requestId).toMatch(/^req_[0-9A-Za-z]{14}$/);
    const response = await fetch(`${emulator.url}/v1/customers/nope`, {
      headers: { authorization: 'Bearer sk_test_tributary' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('request-id')).toMatch(/^req_[0-9A-Za-z]{14}$/);
    expect(response.headers.get('stripe-version')).toBe('2026-10-28.endive');
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('answers GET /v1/account with the account of the key: the default one, or the one a key was made for', async () => {
    const overview = await control<{ account: string }>('GET', '');
    const own = await control<{ key: string; account: string }>('POST', '/keys', {});
    const sibling = await control<{ key: string; account: string }>('POST', '/keys', { account: own.account });
    const shared = await stripe.accounts.retrieveCurrent();
    expect(shared).toMatchObject({ id: overview.account, object: 'account', type: 'standard' });
    expect(shared).toEqual(
      expect.objectContaining({ country: expect.any(String), default_currency: expect.any(String) }),
    );
    expect(shared.business_profile?.name).toEqual(expect.any(String));
    const mine = await client(own.key).accounts.retrieveCurrent();
    expect(mine.id).toBe(own.account);
    expect(mine.id).not.toBe(overview.account);
    expect(await client(sibling.key).accounts.retrieveCurrent()).toEqual(mine);
    // The customers are the same data set; a key of another account lists them too.
    expect((await client(own.key).customers.list({ limit: 1 })).data[0].id).toBe(all[0].id);
    await expect(client(RESTRICTED_KEY).accounts.retrieveCurrent()).rejects.toMatchObject({
      statusCode: 403,
      message: expect.stringContaining(`on account '${overview.account}'`),
    });
    const stats = await control<StatsSnapshot>('GET', '/stats');
    expect(stats.byRoute['GET /v1/account']).toEqual({ '200': 3, '403': 1 });
    expect(stats.byAccount[own.account]).toEqual({ total: 3, peakPerSecond: 3 });
    expect(stats.byAccount[overview.account].total).toBe(2);
  });
});
