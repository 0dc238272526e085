import { HubSpotError } from './errors';
import { RecordStore } from './records';
import { search } from './search';
import { parseSearch, SEARCH_LIMITS } from './search-request';

const T0 = Date.UTC(2026, 0, 1);

function store(count: number, times: (i: number) => number = () => T0): RecordStore {
  const records = new RecordStore('contacts', 7, () => T0);
  records.create(count, (i) => ({ createdAt: T0 - 1000, updatedAt: times(i) }));
  return records;
}

function rejects(body: object): string {
  try {
    parseSearch('contacts', body);
  } catch (error) {
    expect(error).toBeInstanceOf(HubSpotError);
    expect((error as HubSpotError).status).toBe(400);
    expect((error as HubSpotError).fields.category).toBe('VALIDATION_ERROR');
    return (error as HubSpotError).message;
  }
  throw new Error('expected a 400');
}

describe('search request limits', () => {
  it('refuses paging past the 10,000th result, a limit over 200 and too many filters, saying which', () => {
    expect(() => parseSearch('contacts', { after: '9800', limit: 200 })).not.toThrow();
    expect(rejects({ after: '9900', limit: 200 })).toMatch(
      /limited to 10000 per query: after \(9900\) plus limit \(200\)/,
    );
    expect(rejects({ after: '10000', limit: 1 })).toMatch(/10000/);
    expect(rejects({ limit: 201 })).toMatch(/limit must be an integer from 0 to 200/);
    const filter = { propertyName: 'email', operator: 'HAS_PROPERTY' };
    const group = (n: number) => ({ filters: Array.from({ length: n }, () => filter) });
    expect(rejects({ filterGroups: Array.from({ length: 6 }, () => group(1)) })).toMatch(/Too many filter groups: 6/);
    expect(rejects({ filterGroups: [group(11)] })).toMatch(/Too many filters in a group: 11/);
    expect(rejects({ filterGroups: [group(10), group(10), group(6)] })).toMatch(/Too many filters: 26/);
    expect(() => parseSearch('contacts', { filterGroups: [group(10), group(10), group(5)] })).not.toThrow();
    expect(rejects({ filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: 'x' }] }] })).toMatch(
      /'nope' does not exist/,
    );
    expect(rejects({ sorts: [{ propertyName: 'email', direction: 'UP' }] })).toMatch(/ASCENDING or DESCENDING/);
    expect(SEARCH_LIMITS).toEqual({ groups: 5, filtersPerGroup: 10, filters: 25, limit: 200, results: 10_000 });
  });
});

describe('search evaluation', () => {
  it('compares dates given in epoch ms or ISO, and ids as numbers (9 < 10, unlike strings)', () => {
    const records = store(40, (i) => T0 + i * 1000);
    const ids = records.idList();
    const found = search(
      records,
      parseSearch('contacts', {
        filterGroups: [
          {
            filters: [
              { propertyName: 'lastmodifieddate', operator: 'GTE', value: String(T0 + 10_000) },
              { propertyName: 'lastmodifieddate', operator: 'LT', value: new Date(T0 + 20_000).toISOString() },
            ],
          },
        ],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        limit: 100,
      }),
      T0,
    );
    expect(found.results.map((object) => Number(object.id))).toEqual(ids.slice(10, 20));
    const [small, large] = [ids.find((id) => id < 10)!, ids.find((id) => id >= 100)!];
    const above = search(
      records,
      parseSearch('contacts', {
        filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: String(small) }] }],
        limit: 200,
      }),
      T0,
    );
    expect(above.results.map((object) => Number(object.id))).toContain(large);
  });

  it('ORs groups, ANDs filters, pages by numeric offset and omits paging on the last page', () => {
    const records = store(30);
    const [a, b] = records.idList();
    const byId = (id: number) => ({ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: String(id) }] });
    expect(search(records, parseSearch('contacts', { filterGroups: [byId(a), byId(b)] }), T0).total).toBe(2);
    const first = search(records, parseSearch('contacts', { limit: 20 }), T0);
    expect([first.total, first.results.length, first.paging]).toEqual([30, 20, { next: { after: '20' } }]);
    const descending = search(
      records,
      parseSearch('contacts', { limit: 3, sorts: [{ propertyName: 'hs_object_id', direction: 'DESCENDING' }] }),
      T0,
    );
    expect(descending.results.map((object) => Number(object.id))).toEqual(records.idList().slice(-3).reverse());
    const last = search(records, parseSearch('contacts', { limit: 20, after: '20' }), T0);
    expect([last.results.length, last.paging]).toEqual([10, undefined]);
  });

  it('sorts by the modification date with ties broken by id, and hides archived and not-yet-indexed records', () => {
    const records = store(10, (i) => T0 - (i % 2) * 1000);
    const ids = records.idList();
    const sorted = search(
      records,
      parseSearch('contacts', { sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }], limit: 10 }),
      T0,
    );
    const even = ids.filter((_id, i) => i % 2 === 0);
    const odd = ids.filter((_id, i) => i % 2 === 1);
    expect(sorted.results.map((object) => Number(object.id))).toEqual([...even, ...odd]);
    records.archive([ids[0]], T0);
    expect(search(records, parseSearch('contacts', { limit: 10 }), T0).total).toBe(9);
    expect(search(records, parseSearch('contacts', { limit: 10 }), T0 - 1).total).toBe(0);
  });
});
