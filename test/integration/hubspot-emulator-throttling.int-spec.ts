// Throttling, faults and latency through the official client: HubSpot's 429 bodies for each policy (which decide
// the client's own retry branches, cloud-apis.md §2.8), the rate-limit headers, injected 5xx and delays.
import { Client } from '@hubspot/api-client';
import { DEFAULT_TOKEN, type HubSpotEmulator, HUBSPOT_LIMITS, startHubSpotEmulator } from '../../emulators/hubspot/src';

interface ApiError {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

const failure = (call: Promise<unknown>): Promise<ApiError> =>
  call.then(
    () => Promise.reject(new Error('expected the call to fail')),
    (error: ApiError) => error,
  );

describe('HubSpot emulator: throttling and faults through @hubspot/api-client 13.5', () => {
  let emulator: HubSpotEmulator;
  const control = async <T>(method: string, path: string, body?: object): Promise<T> => {
    const init: RequestInit = body
      ? { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : { method };
    const response = await fetch(`${emulator.url}/_emulator${path}`, init);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  /** A client built just before use: its retry setting lives in the client's process-wide singleton (§2.8). */
  const client = (numberOfApiCallRetries?: number): Client =>
    new Client({
      accessToken: DEFAULT_TOKEN,
      basePath: emulator.url,
      ...(numberOfApiCallRetries ? { numberOfApiCallRetries } : {}),
    });
  const search = (hubspot: Client) =>
    hubspot.crm.contacts.searchApi.doSearch({ filterGroups: [], properties: [], sorts: [], limit: 1 });
  const get = (path: string) =>
    fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${DEFAULT_TOKEN}` } });

  beforeAll(async () => {
    emulator = await startHubSpotEmulator();
  });
  beforeEach(async () => {
    await control('POST', '/reset', {});
    await control('DELETE', '/faults');
    await control('POST', '/limits', HUBSPOT_LIMITS);
  });
  afterAll(() => emulator.close());

  it("starts at a Professional private app's limits and sends HubSpot's rate-limit headers on normal answers", async () => {
    expect(await control('GET', '/limits')).toEqual({
      burst: 190,
      searchPerSecond: 5,
      daily: 650_000,
      retryAfter: false,
    });
    const response = await get('/crm/v3/objects/contacts?limit=1');
    expect(
      Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('x-hubspot-ratelimit'))),
    ).toEqual({
      'x-hubspot-ratelimit-daily': '650000',
      'x-hubspot-ratelimit-daily-remaining': '649999',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-max': '190',
      'x-hubspot-ratelimit-remaining': '189',
      'x-hubspot-ratelimit-secondly': '19',
      'x-hubspot-ratelimit-secondly-remaining': '18',
    });
  });

  it('answers the call past the 10-second burst with TEN_SECONDLY_ROLLING, without Retry-After unless asked', async () => {
    await control('POST', '/limits', { burst: 3 });
    const hubspot = client();
    for (let i = 0; i < 3; i++) {
      await hubspot.crm.contacts.basicApi.getPage(1);
    }
    const error = await failure(hubspot.crm.contacts.basicApi.getPage(1));
    expect([error.code, error.body]).toEqual([
      429,
      {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: expect.any(String),
        policyName: 'TEN_SECONDLY_ROLLING',
        groupName: expect.stringMatching(/^publicapi:/),
      },
    ]);
    expect(error.headers['retry-after']).toBeUndefined();
    await control('POST', '/limits', { burst: 1, retryAfter: true });
    await get('/crm/v3/objects/contacts?limit=1');
    const limited = await get('/crm/v3/objects/contacts?limit=1');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '10']);
  });

  it('limits search per second apart from the burst, and the client retries the SECONDLY 429 after a second', async () => {
    await control('POST', '/limits', { searchPerSecond: 2 });
    const plain = client();
    await search(plain);
    await search(plain);
    const error = await failure(search(plain));
    expect([error.code, error.body.message, error.body.policyName]).toEqual([
      429,
      'You have reached your secondly limit.',
      'SECONDLY',
    ]);
    expect((await plain.crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const retrying = client(2);
    await search(retrying);
    await search(retrying);
    const started = Date.now();
    expect((await search(retrying)).results).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('answers DAILY once the day is used up, which the client does not retry', async () => {
    await control('POST', '/limits', { daily: 2 });
    const retrying = client(3);
    await retrying.crm.deals.basicApi.getPage(1);
    await retrying.crm.deals.basicApi.getPage(1);
    const started = Date.now();
    const error = await failure(retrying.crm.deals.basicApi.getPage(1));
    expect([error.code, error.body.policyName, error.body.message]).toEqual([
      429,
      'DAILY',
      'You have reached your daily limit.',
    ]);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('injects 5xx, 429 and delays for the next responses, and a seeded share of failures that repeats after a reset', async () => {
    const hubspot = client();
    await control('POST', '/faults', { status: 500, count: 1 });
    await control('POST', '/faults', { status: 429, policy: 'SECONDLY', count: 1, path: '/crm/v3/objects/companies' });
    expect((await failure(hubspot.crm.contacts.basicApi.getPage(1))).code).toBe(500);
    expect((await hubspot.crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);
    expect((await failure(hubspot.crm.companies.basicApi.getPage(1))).body.policyName).toBe('SECONDLY');
    await control('POST', '/faults', { delayMs: 300, count: 1 });
    const started = Date.now();
    await hubspot.crm.contacts.basicApi.getPage(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    const pattern = async (): Promise<number[]> => {
      await control('POST', '/reset', {});
      await control('POST', '/faults', { status: 503, rate: 0.3, count: 1000 });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        statuses.push((await get('/crm/v3/objects/contacts?limit=1')).status);
      }
      return statuses;
    };
    const first = await pattern();
    expect(first.filter((status) => status === 503).length).toBeGreaterThan(8);
    expect(first.filter((status) => status === 503).length).toBeLessThan(30);
    expect(await pattern()).toEqual(first);
  });

  it('delays every response by the configured latency', async () => {
    await control('POST', '/latency', { ms: 150 });
    const started = Date.now();
    await client().crm.contacts.basicApi.getPage(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await control('POST', '/latency', { ms: 0 });
  });
});
