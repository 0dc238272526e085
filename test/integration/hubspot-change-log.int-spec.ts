// The HubSpot change log against the emulator, below the engine: one incremental pass reads every record
// modified since the position, with none missing or read twice, then the records archived since as deletes; the
// head is HubSpot's clock. (Past the 10,000-result search ceiling: test/e2e/hubspot-incremental.e2e-spec.ts.)
import type { ChangeLog, ChangeVersion, RecordChange } from '../../libs/connectors/src/core/connector';
import { LOOKBACK_SECONDS } from '../../libs/connectors/src/hubspot/hubspot.change-log';
import { createHubSpotConnector } from '../../libs/connectors/src/hubspot/hubspot.connector';
import { type HubSpotEmulator, startHubSpotEmulator } from '../../emulators/hubspot/src';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const budget = { take: (): Promise<void> => Promise.resolve() };

describe('HubSpot change log against the emulator', () => {
  let emulator: HubSpotEmulator;
  let log: ChangeLog;
  const control = async (path: string, body: object): Promise<{ ids: string[] }> => {
    const init = { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    const res = await fetch(`${emulator.url}/_emulator${path}`, init);
    expect(res.status).toBe(200);
    return (await res.json()) as { ids: string[] };
  };
  /** Every page of one run from `position`; `between` runs after each page (changes made mid-pass). */
  const readAll = async (object: string, position: ChangeVersion, between?: (page: number) => Promise<void>) => {
    const changes: RecordChange[] = [];
    let pages = 0;
    for (let cursor: string | null = null; ;) {
      const page = await log.readChanges(object, position, cursor);
      expect(page.position).toBeNull();
      changes.push(...page.changes);
      pages += 1;
      await between?.(pages);
      if (page.nextCursor === null) {
        return { changes, pages };
      }
      cursor = page.nextCursor;
    }
  };
  const idsOf = (changes: RecordChange[], deleted = false) =>
    changes.filter((c) => c.deleted === deleted).map((c) => c.externalId);

  beforeEach(async () => {
    emulator = await startHubSpotEmulator({ limits: false, clock: () => NOW, contacts: 50, companies: 20, deals: 50 });
    log = createHubSpotConnector('pat-na1-00000000-0000-4000-8000-00000000t1b7', emulator.url, budget).changes!;
  });
  afterEach(() => emulator.close());

  it('takes the head from HubSpot’s clock, whole seconds', async () => {
    expect(await log.head()).toEqual({ at: NOW / 1000, id: null });
    await control('/clock', { nowMs: NOW + 90_500 });
    expect(await log.head()).toEqual({ at: NOW / 1000 + 90, id: null });
  });

  it('loses nothing when records the pass already read are archived under it, and reports those as deletes', async () => {
    const position = { at: NOW / 1000 + LOOKBACK_SECONDS, id: null }; // reads from NOW
    await control('/clock', { nowMs: NOW + 100_000 });
    const created = await control('/objects/contacts/create', { count: 700 });
    const { changes } = await readAll('contacts', position, async (page) => {
      if (page === 1) {
        // Records below the pass's place: an offset-paged search would now skip as many records.
        await control('/objects/contacts/archive', { ids: created.ids.slice(0, 50).map(Number) });
      }
    });
    expect(new Set(idsOf(changes))).toEqual(new Set(created.ids));
    expect(idsOf(changes)).toHaveLength(700);
    expect(idsOf(changes, true)).toEqual(created.ids.slice(0, 50));
    const deleted = changes.find((c) => c.deleted)!;
    expect(deleted.payload).toMatchObject({ archived: true, archivedAt: new Date(NOW + 100_000).toISOString() });
    expect(deleted.version).toEqual({ at: NOW / 1000 + 100, id: `000${NOW + 100_000}:archived` });
  }, 60_000);

  it('reports only records archived since the position (less the lookback), and reads a record the lagging index hid once the next run looks back', async () => {
    const archivedBefore = emulator.state.counts().companies.archived;
    await control('/clock', { nowMs: NOW + 1_000_000 });
    const [old] = (await control('/objects/companies/archive', { first: 1 })).ids;
    await control('/clock', { nowMs: NOW + 2_000_000 });
    const [recent] = (await control('/objects/companies/archive', { first: 1 })).ids;
    // Modified before the run's head, and still missing from the lagging index when the run searches.
    emulator.state.searchLagMs = 30_000;
    const [hidden] = (await control('/objects/companies/update', { first: 1, set: { name: 'Late' } })).ids;
    await control('/clock', { advanceMs: 10_000 });
    const head = await log.head();
    const first = await readAll('companies', { at: NOW / 1000 + 1_500, id: null });
    expect(idsOf(first.changes, true)).toEqual([recent]);
    expect(idsOf(first.changes)).toEqual([]);
    expect(archivedBefore + 2).toBe(emulator.state.counts().companies.archived);
    expect(old).not.toBe(recent);

    // Past the index lag, within the lookback.
    await control('/clock', { advanceMs: 60_000 });
    const next = await readAll('companies', head);
    expect(idsOf(next.changes)).toEqual([hidden]);
    expect(next.changes[0].payload).toMatchObject({ properties: expect.objectContaining({ name: 'Late' }) });
  });

  it('does not cover association objects', () => {
    expect(log.covers!('contact_companies')).toBe(false);
    expect(log.covers!('contacts')).toBe(true);
  });
});
