// The HubSpot connector against the emulator, below the engine: every request it sends takes the portal's
// budget first, the client never retries behind Temporal's back, and HubSpot's refusals arrive classified.
import { ProviderError } from '../../libs/connectors/src/core/provider-error';
import { hubspotAccountKey } from '../../libs/connectors/src/hubspot/hubspot.account';
import { createHubSpotConnector } from '../../libs/connectors/src/hubspot/hubspot.connector';
import { chunkProperties } from '../../libs/connectors/src/hubspot/hubspot.objects';
import { ALL_SCOPES, DEFAULT_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from '../../emulators/hubspot/src';

const OTHER_TOKEN = 'pat-na1-33333333-3333-4333-8333-deals0nly000';

describe('HubSpot connector against the emulator', () => {
  let emulator: HubSpotEmulator;
  let takes: number;
  const budget = { take: (): Promise<void> => Promise.resolve(void takes++) };
  const control = async (method: string, path: string, body?: object): Promise<void> => {
    const init: RequestInit = body
      ? { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : { method };
    expect((await fetch(`${emulator.url}/_emulator${path}`, init)).status).toBe(200);
  };

  beforeAll(async () => {
    emulator = await startHubSpotEmulator({
      limits: false,
      portalId: 7_654_321,
      tokens: { [DEFAULT_TOKEN]: ALL_SCOPES, [OTHER_TOKEN]: ['crm.objects.deals.read'] },
    });
  });
  beforeEach(async () => {
    takes = 0;
    await control('DELETE', '/faults');
  });
  afterAll(() => emulator.close());

  it('takes the budget once per request: the properties read, then one list call per property chunk', async () => {
    const connector = createHubSpotConnector(DEFAULT_TOKEN, emulator.url, budget);
    const chunks = chunkProperties(emulator.state.stores.contacts.propertyNames().sort());
    expect(chunks.length).toBeGreaterThan(1);
    const page = await connector.readPage('contacts', null);
    expect(page.records).toHaveLength(100);
    expect(takes).toBe(1 + chunks.length);
    // The properties are read once per connector.
    await connector.readPage('contacts', page.nextCursor);
    expect(takes).toBe(1 + 2 * chunks.length);
  });

  it('does not retry: one 429 or 500 reaches us classified, with the wait HubSpot asks for', async () => {
    const connector = createHubSpotConnector(DEFAULT_TOKEN, emulator.url, budget);
    await control('POST', '/faults', { status: 429, policy: 'TEN_SECONDLY_ROLLING', count: 1 });
    const limited = await connector.readPage('companies', null).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 10_000 });
    await control('POST', '/faults', { status: 502, count: 1 });
    await expect(connector.readPage('companies', null)).rejects.toMatchObject({ kind: 'transient', status: 502 });
    expect((await connector.readPage('companies', null)).records.length).toBeGreaterThan(0);
  });

  it('keys the budget by portal: every token of one portal shares it; a bad token is an auth error', async () => {
    const settings = { hubspot: { apiBaseUrl: emulator.url } } as Parameters<typeof hubspotAccountKey>[1];
    expect(await hubspotAccountKey(DEFAULT_TOKEN, settings)).toBe('hubspot:7654321');
    expect(await hubspotAccountKey(OTHER_TOKEN, settings)).toBe('hubspot:7654321');
    await expect(hubspotAccountKey('pat-na1-unknown-token-0000', settings)).rejects.toMatchObject({ kind: 'auth' });
    await control('POST', '/faults', { status: 503, count: 1 });
    await expect(hubspotAccountKey(DEFAULT_TOKEN, settings)).rejects.toMatchObject({ kind: 'transient' });
  });

  it('refuses an unknown object without a request', async () => {
    const connector = createHubSpotConnector(DEFAULT_TOKEN, emulator.url, budget);
    await expect(connector.readPage('tickets', null)).rejects.toMatchObject({ kind: 'invalid' });
    expect(takes).toBe(0);
  });
});
