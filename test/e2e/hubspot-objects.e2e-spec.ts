import { ALL_SCOPES, DEFAULT_TOKEN, type ObjectType } from '../../emulators/hubspot/src';
import { createHubSpotSource, hubspotControl, hubspotLinks, hubspotTruth } from '../utils/hubspot-sync';
import * as op from '../utils/operations';
import { liveRecords, syncAndWait } from '../utils/stripe-sync';
import { startSyncStack, type SyncStack } from '../utils/sync-stack';

const CONTACTS_ONLY = 'pat-na1-11111111-1111-4111-8111-contactsonly';
const OBJECTS: ObjectType[] = ['contacts', 'companies', 'deals'];

const ASSOCIATIONS: [string, ObjectType, ObjectType][] = [
  ['contact_companies', 'contacts', 'companies'],
  ['deal_contacts', 'deals', 'contacts'],
  ['deal_companies', 'deals', 'companies'],
];

// Issue 13 step 2: contacts, companies and deals with all their properties, read by full refreshes through
// @hubspot/api-client against the emulator, with HubSpot's default throttling on (the portal's budget keeps
// the requests under it).
describe('HubSpot objects, end to end', () => {
  let stack: SyncStack;
  let sourceId: string;

  beforeAll(async () => {
    stack = await startSyncStack({
      customers: 10,
      hubspot: {
        contacts: 300,
        companies: 100,
        deals: 150,
        tokens: { [DEFAULT_TOKEN]: ALL_SCOPES, [CONTACTS_ONLY]: ['crm.objects.contacts.read'] },
      },
    });
    sourceId = await createHubSpotSource(stack, 'CRM', DEFAULT_TOKEN);
  }, 120_000);
  afterAll(() => stack?.close());

  it.each(OBJECTS)(
    '%s: a first sync equals the emulator exactly (every property), and a re-run changes nothing',
    async (object) => {
      const expected = hubspotTruth(stack, object);
      expect(expected.size).toBeGreaterThan(90);
      const first = await syncAndWait(stack, sourceId, 180_000, object);
      expect(first).toMatchObject({
        status: 'SUCCEEDED',
        recordsInserted: expected.size,
        recordsUpdated: 0,
        recordsDeleted: 0,
        retries: 0,
        error: null,
      });
      const stored = await liveRecords(sourceId, object);
      expect(stored.size).toBe(expected.size);
      for (const [id, record] of expected) {
        expect(stored.get(id)).toEqual(record);
      }
      // All properties: more than one URL's worth, so the page was read in chunks and merged.
      const [one] = stored.values();
      expect(Object.keys(one.properties as object)).toHaveLength(
        stack.hubspot!.state.stores[object].propertyNames().length,
      );
      const second = await syncAndWait(stack, sourceId, 180_000, object);
      expect(second).toMatchObject({
        status: 'SUCCEEDED',
        recordsInserted: 0,
        recordsUpdated: 0,
        recordsUnchanged: expected.size,
        recordsDeleted: 0,
      });
    },
    400_000,
  );

  it.each(ASSOCIATIONS)(
    '%s: a first sync stores every link exactly, and a re-run changes nothing',
    async (object, from, to) => {
      const expected = hubspotLinks(stack, from, to);
      expect(expected.size).toBeGreaterThan(90);
      const first = await syncAndWait(stack, sourceId, 180_000, object);
      expect(first).toMatchObject({ status: 'SUCCEEDED', recordsInserted: expected.size, recordsDeleted: 0 });
      const stored = await liveRecords(sourceId, object);
      expect(new Map([...stored].sort())).toEqual(new Map([...expected].sort()));
      const second = await syncAndWait(stack, sourceId, 180_000, object);
      expect(second).toMatchObject({ status: 'SUCCEEDED', recordsUnchanged: expected.size, recordsInserted: 0 });
    },
    400_000,
  );

  it('deletes links removed or to records archived between runs, and stores links added', async () => {
    await syncAndWait(stack, sourceId, 180_000, 'contact_companies');
    const before = hubspotLinks(stack, 'contacts', 'companies');
    const [removed, viaArchive] = [...before.values()] as { fromId: string; toId: string }[];
    await hubspotControl(stack, '/associations', {
      from: 'contacts',
      fromId: Number(removed.fromId),
      to: 'companies',
      toId: Number(removed.toId),
      remove: true,
    });
    await hubspotControl(stack, '/objects/companies/archive', { ids: [Number(viaArchive.toId)] });
    const companyIds = stack.hubspot!.state.stores.companies.idList(false);
    await hubspotControl(stack, '/associations', {
      from: 'contacts',
      fromId: Number(removed.fromId),
      to: 'companies',
      toId: companyIds[companyIds.length - 1],
    });
    const expected = hubspotLinks(stack, 'contacts', 'companies');
    const gone = [...before.keys()].filter((id) => !expected.has(id)).length;
    expect(gone).toBeGreaterThanOrEqual(2);
    const run = await syncAndWait(stack, sourceId, 180_000, 'contact_companies');
    expect(run).toMatchObject({ status: 'SUCCEEDED', recordsDeleted: gone, recordsInserted: 1 });
    const stored = await liveRecords(sourceId, 'contact_companies');
    expect(new Map([...stored].sort())).toEqual(new Map([...expected].sort()));
  }, 400_000);

  it('turns records archived between runs into deletes, and updates into updates', async () => {
    await syncAndWait(stack, sourceId, 180_000, 'contacts');
    const [first, second, third, changed] = [...hubspotTruth(stack, 'contacts').keys()];
    await hubspotControl(stack, '/objects/contacts/archive', { ids: [Number(first), Number(second), Number(third)] });
    await hubspotControl(stack, '/objects/contacts/update', { ids: [Number(changed)], set: { firstname: 'Renamed' } });
    const run = await syncAndWait(stack, sourceId, 180_000, 'contacts');
    expect(run).toMatchObject({ status: 'SUCCEEDED', recordsDeleted: 3, recordsUpdated: 1, recordsInserted: 0 });
    const expected = hubspotTruth(stack, 'contacts');
    const stored = await liveRecords(sourceId, 'contacts');
    expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(stored.get(changed)).toEqual(expected.get(changed));
    expect((stored.get(changed)!.properties as Record<string, unknown>).firstname).toBe('Renamed');
  }, 400_000);

  it('fails fast on a bad token and says what to fix, without the token', async () => {
    const token = 'pat-na1-22222222-2222-4222-8222-notavalidtok';
    const badId = await createHubSpotSource(stack, 'CRM bad token', token);
    const run = await syncAndWait(stack, badId, 60_000, 'contacts');
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/HubSpot rejected the access token \(401\)/);
    expect(run.error).not.toContain('notavalidtok');
    expect(run.retries).toBe(0);
    const check = (await stack.call(op.CHECK_CONNECTION, { id: badId })).checkSourceConnection;
    expect(check).toMatchObject({ ok: false, message: expect.stringMatching(/rejected the access token/) });
  }, 120_000);

  it('checkSourceConnection names the scope the token lacks', async () => {
    const limitedId = await createHubSpotSource(stack, 'CRM contacts only', CONTACTS_ONLY);
    const check = (await stack.call(op.CHECK_CONNECTION, { id: limitedId })).checkSourceConnection;
    expect(check).toMatchObject({ ok: false, message: expect.stringContaining('crm.schemas.contacts.read') });
    const ok = (await stack.call(op.CHECK_CONNECTION, { id: sourceId })).checkSourceConnection;
    expect(ok.ok).toBe(true);
  }, 120_000);

  // Last: it resets the portal to 1,000 deals.
  it('30% of the answers are 429 or 503: the run still ends exact, the failed requests asked again', async () => {
    await hubspotControl(stack, '/reset', { deals: 1_000 });
    const flakyId = await createHubSpotSource(stack, 'CRM flaky', DEFAULT_TOKEN);
    const path = '/crm/v3/objects/deals';
    await hubspotControl(stack, '/faults', { status: 429, policy: 'SECONDLY', rate: 0.15, count: 100_000, path });
    await hubspotControl(stack, '/faults', { status: 503, rate: 0.15, count: 100_000, path });
    const expected = hubspotTruth(stack, 'deals');
    const run = await syncAndWait(stack, flakyId, 240_000, 'deals');
    await fetch(`${stack.hubspot!.url}/_emulator/faults`, { method: 'DELETE' });
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      recordsRead: expected.size,
      recordsInserted: expected.size,
      recordsDeleted: 0,
    });
    console.log(`30% faults on ${path}: run ${run.status}, retries ${run.retries}, ${run.durationMs} ms`);
    expect(run.retries).toBeGreaterThan(0);
    const stored = await liveRecords(flakyId, 'deals');
    expect(stored.size).toBe(expected.size);
    for (const [id, record] of expected) {
      expect(stored.get(id)).toEqual(record);
    }
  }, 300_000);
});
