import {
  afterSearchPage,
  type ChangeCursor,
  decodeCursor,
  encodeCursor,
  largestId,
  searchRequest,
  versionAt,
} from './hubspot.search-pass';

const start: ChangeCursor & { phase: 'search' } = { phase: 'search', sinceMs: 1_764_000_000_000, afterId: null };
const more = { next: { after: '200' } };
const page = (...ids: string[]) => ids.map((id) => ({ id }));

describe(searchRequest.name, () => {
  it('filters on the type’s modification property from the pass start, sorted by id, always from offset 0', () => {
    expect(searchRequest('contacts', start, ['email'])).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '1764000000000' }] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: ['email'],
      limit: 200,
      after: '0',
    });
    const resumed = searchRequest('deals', { ...start, afterId: '10000' }, []);
    expect(resumed.filterGroups[0].filters).toEqual([
      { propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: '1764000000000' },
      { propertyName: 'hs_object_id', operator: 'GT', value: '10000' },
    ]);
    expect(resumed.after).toBe('0');
  });
});

describe(afterSearchPage.name, () => {
  it('goes on above the largest id compared as numbers, not as strings (Airbyte #79666)', () => {
    expect(afterSearchPage(start, { results: page('98', '99', '100', '101'), paging: more })).toEqual({
      ...start,
      afterId: '101',
    });
    expect(afterSearchPage(start, { results: page('9', '10'), paging: more })).toMatchObject({ afterId: '10' });
  });

  it('does not end on a short page while paging.next is there (Airbyte #80745); only its absence ends the pass', () => {
    expect(afterSearchPage(start, { results: page('7'), paging: more })).toEqual({ ...start, afterId: '7' });
    expect(afterSearchPage({ ...start, afterId: '7' }, { results: page('8', '9') })).toEqual({
      phase: 'archived',
      sinceMs: start.sinceMs,
      after: null,
    });
    expect(afterSearchPage(start, { results: [], paging: {} })).toMatchObject({ phase: 'archived' });
  });

  it('refuses to move on from an empty page that promises more (a retry asks again)', () => {
    expect(() => afterSearchPage(start, { results: [], paging: more })).toThrow(
      expect.objectContaining({ kind: 'transient' }),
    );
  });
});

describe(largestId.name, () => {
  it('compares ids of any length as numbers', () => {
    expect(largestId(['999', '1000', '99'])).toBe('1000');
    expect(largestId(['18446744073709551617', '18446744073709551616'])).toBe('18446744073709551617');
    expect(largestId([])).toBeNull();
    expect(() => largestId(['12a'])).toThrow(expect.objectContaining({ kind: 'transient' }));
  });
});

describe(versionAt.name, () => {
  it('is the second, with the millisecond as an id that orders bytewise; an archive sorts after its modification', () => {
    expect(versionAt(1_764_000_000_123)).toEqual({ at: 1_764_000_000, id: '0001764000000123' });
    const modified = versionAt(1_764_000_000_123).id!;
    const later = versionAt(1_764_000_000_900).id!;
    const archived = versionAt(1_764_000_000_123, true).id!;
    expect([archived, later, modified].sort()).toEqual([modified, archived, later]);
  });
});

describe(decodeCursor.name, () => {
  it('reads back what encodeCursor wrote, and refuses anything else', () => {
    const cursors: ChangeCursor[] = [
      start,
      { ...start, afterId: '4242' },
      { phase: 'archived', sinceMs: 5, after: null },
      { phase: 'archived', sinceMs: 5, after: '77' },
    ];
    for (const cursor of cursors) {
      expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    }
    for (const bad of ['', '{}', '42', '{"phase":"search","sinceMs":1,"afterId":"9 OR 1"}', 'cus_123']) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ kind: 'invalid' }));
    }
  });
});
