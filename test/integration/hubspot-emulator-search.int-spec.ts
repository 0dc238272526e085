// Search through the official client: the 10,000-result ceiling, more than 10,000 records sharing one modification
// time (the restart at after:0 with hs_object_id above the last id is what gets past it), and the index lag.
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum as Op } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { DEFAULT_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from '../../emulators/hubspot/src';

const NOW_MS = Date.UTC(2026, 0, 15, 12);
const SHARED_MS = Date.UTC(2026, 0, 15, 11);

type SearchRequest = Parameters<Client['crm']['contacts']['searchApi']['doSearch']>[0];
/** HubSpot takes sorts as objects (what Airbyte and our connector send); the client types them as strings. */
const BY_ID_ASCENDING = { propertyName: 'hs_object_id', direction: 'ASCENDING' } as unknown as string;

describe('HubSpot emulator: search limits through @hubspot/api-client 13.5', () => {
  let emulator: HubSpotEmulator;
  let hubspot: Client;
  const control = async <T>(method: string, path: string, body?: object): Promise<T> => {
    const init: RequestInit = body
      ? { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : { method };
    const response = await fetch(`${emulator.url}/_emulator${path}`, init);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  /** Modified exactly at SHARED_MS, id above `aboveId` (compared as a number), sorted by id. */
  const changedSince = (aboveId: string, after: string | undefined): SearchRequest => ({
    filterGroups: [
      {
        filters: [
          { propertyName: 'lastmodifieddate', operator: Op.Gte, value: String(SHARED_MS) },
          { propertyName: 'lastmodifieddate', operator: Op.Lte, value: String(SHARED_MS) },
          { propertyName: 'hs_object_id', operator: Op.Gt, value: aboveId },
        ],
      },
    ],
    sorts: [BY_ID_ASCENDING],
    properties: ['email', 'lastmodifieddate'],
    limit: 200,
    ...(after === undefined ? {} : { after }),
  });

  beforeAll(async () => {
    emulator = await startHubSpotEmulator({ clock: () => NOW_MS, limits: false });
    hubspot = new Client({ accessToken: DEFAULT_TOKEN, basePath: emulator.url });
  });
  beforeEach(() => control('POST', '/reset', {}));
  afterAll(() => emulator.close());

  it('finds more than 10,000 records sharing one modification time, but only by restarting past the ceiling', async () => {
    const created = (
      await control<{ ids: string[] }>('POST', '/objects/contacts/create', {
        count: 10_050,
        modifiedAt: SHARED_MS - 5000,
      })
    ).ids;
    await control('POST', '/objects/contacts/update', {
      ids: created.map(Number),
      set: { lifecyclestage: 'customer' },
      modifiedAt: SHARED_MS,
    });

    const seen: string[] = [];
    let after: string | undefined;
    let page = await hubspot.crm.contacts.searchApi.doSearch(changedSince('0', after));
    expect(page.total).toBe(10_050);
    while (page.paging?.next?.after && page.paging.next.after !== '10000') {
      seen.push(...page.results.map((contact) => contact.id));
      after = page.paging.next.after;
      page = await hubspot.crm.contacts.searchApi.doSearch(changedSince('0', after));
    }
    seen.push(...page.results.map((contact) => contact.id));
    expect(seen).toHaveLength(10_000);
    expect(page.paging?.next?.after).toBe('10000');

    // Following the cursor HubSpot handed out is exactly what HubSpot refuses.
    let ceiling: { code: number; body: { category: string; message: string } } | undefined;
    await hubspot.crm.contacts.searchApi
      .doSearch(changedSince('0', '10000'))
      .catch((error: typeof ceiling) => (ceiling = error));
    expect(ceiling?.code).toBe(400);
    expect(ceiling?.body.category).toBe('VALIDATION_ERROR');
    expect(ceiling?.body.message).toMatch(/limited to 10000 per query/);

    const rest = await hubspot.crm.contacts.searchApi.doSearch(changedSince(seen[seen.length - 1], undefined));
    expect([rest.total, rest.paging]).toEqual([50, undefined]);
    seen.push(...rest.results.map((contact) => contact.id));
    expect(seen).toEqual(created);
    expect(rest.results[0].properties.lastmodifieddate).toBe(new Date(SHARED_MS).toISOString());
  });

  it('compares hs_object_id as a number: a string comparison at a digit-length boundary would skip ids', async () => {
    const ids = (await control<{ live: number[] }>('GET', '/objects/contacts')).live;
    const boundary = ids.findIndex((id) => id >= 1000);
    const [below, above] = [ids[boundary - 1], ids[boundary]];
    expect(String(above) < String(below)).toBe(true);
    const page = await hubspot.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: Op.Gt, value: String(below) }] }],
      sorts: [BY_ID_ASCENDING],
      properties: [],
      limit: 1,
    });
    expect(page.results[0].id).toBe(String(above));
  });

  it('hides records written within the index lag until the clock passes it', async () => {
    await control('POST', '/search-lag', { ms: 5000 });
    await control('POST', '/clock', { nowMs: NOW_MS + 60_000 });
    const [id] = (await control<{ live: number[] }>('GET', '/objects/contacts')).live;
    await control('POST', '/objects/contacts/update', { ids: [id], set: { firstname: 'Lagging' } });
    const request: SearchRequest = {
      filterGroups: [{ filters: [{ propertyName: 'firstname', operator: Op.Eq, value: 'lagging' }] }],
      sorts: [],
      properties: ['firstname'],
      limit: 10,
    };
    expect((await hubspot.crm.contacts.searchApi.doSearch(request)).total).toBe(0);
    expect((await hubspot.crm.contacts.basicApi.getById(String(id), ['firstname'])).properties.firstname).toBe(
      'Lagging',
    );
    await control('POST', '/clock', { advanceMs: 5000 });
    const found = await hubspot.crm.contacts.searchApi.doSearch(request);
    expect(found.results.map((contact) => [contact.id, contact.properties.firstname])).toEqual([
      [String(id), 'Lagging'],
    ]);
    await control('POST', '/search-lag', { ms: 0 });
    await control('POST', '/clock', { restore: true });
  });

  it('refuses too many filters and a limit over 200 with a 400 that says so', async () => {
    const filters = Array.from({ length: 11 }, () => ({ propertyName: 'email', operator: Op.HasProperty }));
    const base = { sorts: [], properties: [], limit: 10 };
    const tooMany = await hubspot.crm.companies.searchApi
      .doSearch({ ...base, filterGroups: [{ filters }] })
      .catch((error: { code: number; body: { message: string } }) => error);
    expect(tooMany).toMatchObject({
      code: 400,
      body: { message: expect.stringMatching(/Too many filters in a group: 11/) },
    });
    const tooBig = await hubspot.crm.deals.searchApi
      .doSearch({ ...base, filterGroups: [], limit: 201 })
      .catch((error: { code: number }) => error);
    expect(tooBig).toMatchObject({ code: 400 });
  });
});
