// The HubSpot emulator seen through the official client (@hubspot/api-client 13.5), pointed at it by basePath with
// its retries and limiter off, as our connector will configure it (cloud-apis.md §2.8). Each test starts from a
// fresh reset of seed 1: 300 contacts, 100 companies, 150 deals.
import { Client } from '@hubspot/api-client';
import { ALL_SCOPES, DEFAULT_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from '../../emulators/hubspot/src';

const NOW_MS = Date.UTC(2026, 0, 15, 12);
const CONTACTS_ONLY = 'pat-na1-11111111-1111-4111-8111-contactsonly';

interface ApiError {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

async function failure(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('HubSpot emulator: objects, properties, associations and auth through @hubspot/api-client 13.5', () => {
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
  const liveIds = async (type: string): Promise<string[]> =>
    (await control<{ live: number[] }>('GET', `/objects/${type}`)).live.map(String);

  beforeAll(async () => {
    emulator = await startHubSpotEmulator({
      clock: () => NOW_MS,
      limits: false,
      tokens: { [DEFAULT_TOKEN]: ALL_SCOPES, [CONTACTS_ONLY]: ['crm.objects.contacts.read'] },
    });
    hubspot = new Client({ accessToken: DEFAULT_TOKEN, basePath: emulator.url });
  });
  beforeEach(() => control('POST', '/reset', {}));
  afterAll(() => emulator.close());

  it('lists every live contact once, ascending by id, 100 a page, with no paging on the last page', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await hubspot.crm.contacts.basicApi.getPage(100, after);
      pages++;
      seen.push(...page.results.map((contact) => contact.id));
      after = page.paging?.next?.after;
      expect(page.results.every((contact) => typeof contact.properties.email === 'string')).toBe(true);
    } while (after);
    expect(seen).toEqual(await liveIds('contacts'));
    expect(pages).toBe(Math.ceil(seen.length / 100));
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));
    const all = await hubspot.crm.contacts.getAll(100);
    expect(all.map((contact) => contact.id)).toEqual(seen);
    expect(all[0].createdAt).toBeInstanceOf(Date);
  });

  it('refuses a list limit over 100, and lists only archived records with archived=true', async () => {
    const error = await failure(hubspot.crm.contacts.basicApi.getPage(101));
    expect([error.code, error.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    const archived = await hubspot.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    const expected = (await control<{ archived: number[] }>('GET', '/objects/contacts')).archived.map(String);
    expect(archived.results.map((contact) => contact.id)).toEqual(expected);
    expect(archived.results.every((contact) => contact.archived && contact.archivedAt instanceof Date)).toBe(true);
  });

  it('shows archives made between reads only with archived=true, and GET by id 404s for them', async () => {
    const [first, second] = await liveIds('contacts');
    await control('POST', '/objects/contacts/archive', { ids: [first] });
    const page = await hubspot.crm.contacts.basicApi.getPage(100);
    expect(page.results.map((contact) => contact.id)).not.toContain(first);
    const archived = await hubspot.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((contact) => contact.id)).toContain(first);
    const error = await failure(hubspot.crm.contacts.basicApi.getById(first));
    expect([error.code, error.body.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
    const properties = (await hubspot.crm.contacts.basicApi.getById(second, ['email', 'unknown_one'])).properties;
    expect(Object.keys(properties).sort()).toEqual(['createdate', 'email', 'hs_object_id', 'lastmodifieddate']);
    expect(properties.hs_object_id).toBe(second);
  });

  it('serves hundreds of property definitions, too many for one URL: the client gets 414 until it chunks', async () => {
    const definitions = await hubspot.crm.properties.coreApi.getAll('contacts');
    const names = definitions.results.map((property) => property.name);
    expect(names.length).toBeGreaterThan(500);
    expect(definitions.results.find((property) => property.name === 'email')).toMatchObject({
      type: 'string',
      hasUniqueValue: true,
    });
    expect(definitions.results.find((property) => property.name === 'lifecyclestage')?.options.length).toBeGreaterThan(
      3,
    );

    const tooLong = await failure(hubspot.crm.contacts.basicApi.getPage(10, undefined, names));
    expect(tooLong.code).toBe(414);

    // Chunks of at most 10,000 characters of names, merged by id: every property of every record.
    const chunks: string[][] = [[]];
    for (const name of names) {
      const chunk = chunks[chunks.length - 1];
      if ([...chunk, name].join(',').length > 10_000) {
        chunks.push([name]);
      } else {
        chunk.push(name);
      }
    }
    expect(chunks.length).toBeGreaterThan(1);
    const merged = new Map<string, Record<string, string | null>>();
    for (const chunk of chunks) {
      const page = await hubspot.crm.contacts.basicApi.getPage(10, undefined, chunk);
      page.results.forEach((contact) => merged.set(contact.id, { ...merged.get(contact.id), ...contact.properties }));
    }
    expect([...merged.values()].every((properties) => names.every((name) => name in properties))).toBe(true);
  });

  it('batch-reads up to 100 ids, answers 207 naming the missing ones, and 400 past 100', async () => {
    const ids = (await liveIds('deals')).slice(0, 3);
    const read = await hubspot.crm.deals.batchApi.read({
      inputs: [...ids, '999999999'].map((id) => ({ id })),
      properties: ['dealname', 'amount'],
      propertiesWithHistory: [],
    });
    expect(read.results.map((deal) => deal.id).sort()).toEqual([...ids].sort());
    expect(read.results[0].properties).toMatchObject({
      dealname: expect.any(String),
      amount: expect.stringMatching(/^\d+$/),
    });
    const partial = read as unknown as {
      numErrors: number;
      errors: { category: string; context: { ids: string[] } }[];
    };
    expect([partial.numErrors, partial.errors[0].category, partial.errors[0].context.ids]).toEqual([
      1,
      'OBJECT_NOT_FOUND',
      ['999999999'],
    ]);
    const tooMany = await failure(
      hubspot.crm.deals.batchApi.read({
        inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) })),
        properties: [],
        propertiesWithHistory: [],
      }),
    );
    expect([tooMany.code, tooMany.body.message]).toEqual([400, 'Batch size 101 is over the limit of 100 inputs.']);
  });

  it('reads v4 associations in batches with HubSpot type ids, in both directions, without archived records', async () => {
    const contacts = await liveIds('contacts');
    const read = await hubspot.crm.associations.v4.batchApi.getPage('contacts', 'companies', {
      inputs: contacts.slice(0, 50).map((id) => ({ id })),
    });
    expect(read.results.length).toBeGreaterThan(30);
    const first = read.results[0];
    expect(first.to[0].associationTypes).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
      { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
    ]);
    const company = String(first.to[0].toObjectId);
    const back = await hubspot.crm.associations.v4.batchApi.getPage('companies', 'contacts', {
      inputs: [{ id: company }],
    });
    expect(back.results[0].to.map((link) => String(link.toObjectId))).toContain(first._from.id);
    expect(back.results[0].to[0].associationTypes.map((type) => type.typeId)).toEqual([2, 280]);

    const deals = await hubspot.crm.associations.v4.batchApi.getPage('deals', 'contacts', {
      inputs: [{ id: (await liveIds('deals'))[0] }],
    });
    expect(deals.results[0].to[0].associationTypes).toEqual([{ category: 'HUBSPOT_DEFINED', typeId: 3, label: null }]);

    await control('POST', '/objects/companies/archive', { ids: [Number(company)] });
    const after = await hubspot.crm.associations.v4.batchApi.getPage('contacts', 'companies', {
      inputs: [{ id: first._from.id }],
    });
    const withErrors = after as unknown as { results: unknown[]; errors: { subCategory: string }[] };
    expect(withErrors.results).toEqual([]);
    expect(withErrors.errors[0].subCategory).toBe('crm.associations.NO_ASSOCIATIONS_FOUND');
  });

  it('inlines v3 associations on list pages when asked', async () => {
    const page = await hubspot.crm.deals.basicApi.getPage(5, undefined, undefined, undefined, [
      'companies',
      'contacts',
    ]);
    expect(page.results[0].associations?.companies.results.map((link) => link.type)).toEqual([
      'deal_to_company',
      'deal_to_company_unlabeled',
    ]);
    expect(page.results[0].associations?.contacts.results[0].type).toBe('deal_to_contact');
  });

  it('answers a bad token with 401 exactly as HubSpot does, and a missing scope with 403 naming it', async () => {
    const response = await fetch(`${emulator.url}/crm/v3/objects/contacts`, {
      headers: { authorization: 'Bearer pat-na1-wrong' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-hubspot-auth-failure')).toBe('401 Unauthorized');
    expect(await response.json()).toEqual({
      status: 'error',
      message:
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      category: 'INVALID_AUTHENTICATION',
    });
    const limited = new Client({ accessToken: CONTACTS_ONLY, basePath: emulator.url });
    expect((await limited.crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);
    const forbidden = await failure(limited.crm.companies.basicApi.getPage(1));
    expect([forbidden.code, forbidden.body.category, forbidden.body.errors]).toEqual([
      403,
      'MISSING_SCOPES',
      [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: ['crm.objects.companies.read'] },
        },
      ],
    ]);
    const schema = await failure(limited.crm.properties.coreApi.getAll('contacts'));
    expect(schema.body.errors).toEqual([
      expect.objectContaining({ context: { requiredGranularScopes: ['crm.schemas.contacts.read'] } }),
    ]);
  });

  it('answers unknown paths in HubSpot shape, and refuses bad control bodies with a reason', async () => {
    const unknown = await fetch(`${emulator.url}/crm/v3/objects/tickets`, {
      headers: { authorization: `Bearer ${DEFAULT_TOKEN}` },
    });
    expect([unknown.status, ((await unknown.json()) as { category: string }).category]).toEqual([
      400,
      'VALIDATION_ERROR',
    ]);
    const refused = async (path: string, body: object): Promise<string> => {
      const response = await fetch(`${emulator.url}/_emulator${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: string }).error;
    };
    expect(await refused('/objects/contacts/update', { first: 1, set: { hs_object_id: '5' } })).toMatch(
      /'hs_object_id' is read-only/,
    );
    expect(await refused('/objects/contacts/update', { first: 1, set: { shoe_size: '5' } })).toMatch(
      /no property 'shoe_size'/,
    );
    expect(await refused('/objects/deals/create', { count: 1, colour: 'red' })).toMatch(/unknown field colour/);
    expect(await refused('/faults', { status: 418 })).toMatch(/status must be 429, 500, 502 or 503/);
    expect(await refused('/limits', { burst: -1 })).toMatch(/burst must be a non-negative integer/);
  });

  it('keeps hs_lastmodifieddate on companies and deals, lastmodifieddate on contacts', async () => {
    const [company] = (await hubspot.crm.companies.basicApi.getPage(1)).results;
    expect(Object.keys(company.properties).sort()).toEqual([
      'createdate',
      'domain',
      'hs_lastmodifieddate',
      'hs_object_id',
      'name',
    ]);
    expect(company.properties.hs_lastmodifieddate).toBe(company.updatedAt.toISOString());
    const [deal] = (await hubspot.crm.deals.basicApi.getPage(1, undefined, ['dealname'])).results;
    expect(Object.keys(deal.properties).sort()).toEqual([
      'createdate',
      'dealname',
      'hs_lastmodifieddate',
      'hs_object_id',
    ]);
  });

  it('stamps records with the controllable clock', async () => {
    const pinned = Date.UTC(2026, 2, 1, 9, 30);
    await control('POST', '/clock', { nowMs: pinned });
    const { ids } = await control<{ ids: string[] }>('POST', '/objects/contacts/create', { count: 2 });
    const contact = await hubspot.crm.contacts.basicApi.getById(ids[1], ['createdate', 'lastmodifieddate']);
    expect([contact.createdAt.getTime(), contact.properties.lastmodifieddate]).toEqual([
      pinned,
      new Date(pinned).toISOString(),
    ]);
    await control('POST', '/clock', { advanceMs: 60_000 });
    await control('POST', '/objects/contacts/update', { ids: [ids[1]], set: { firstname: 'Zed' } });
    const updated = await hubspot.crm.contacts.basicApi.getById(ids[1], ['firstname']);
    expect([updated.properties.firstname, updated.updatedAt.getTime()]).toEqual(['Zed', pinned + 60_000]);
    await control('POST', '/clock', { restore: true });
  });
});
