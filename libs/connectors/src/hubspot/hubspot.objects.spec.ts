import { chunkProperties, type ListedRecord, mergeChunks } from './hubspot.objects';

const listed = (id: string, properties: Record<string, string | null>): ListedRecord => ({
  id,
  properties,
  createdAt: new Date(Date.UTC(2026, 0, 1)),
  updatedAt: new Date(Date.UTC(2026, 0, 2)),
  archived: false,
});

describe(chunkProperties.name, () => {
  it('keeps every name once, in order, each chunk within the budget', () => {
    const names = Array.from({ length: 520 }, (_, i) => `hs_area_measure_${i}`);
    const chunks = chunkProperties(names, 1_000);
    expect(chunks.flat()).toEqual(names);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.map((n) => `properties=${n}&`).join('').length).toBeLessThanOrEqual(1_000);
    }
  });

  it('counts names as encoded in the URL, and gives a name longer than the budget a chunk of its own', () => {
    expect(chunkProperties(['a b', 'c'], 'properties=a%20b&'.length)).toEqual([['a b'], ['c']]);
    expect(chunkProperties(['x'.repeat(50), 'y'], 20)).toEqual([['x'.repeat(50)], ['y']]);
    expect(chunkProperties([])).toEqual([]);
  });
});

describe(mergeChunks.name, () => {
  it('merges the properties of each record across chunks, by id', () => {
    const merged = mergeChunks([
      [listed('1', { email: 'a@x.io' }), listed('20', { email: null })],
      [listed('20', { city: 'Lyon' }), listed('1', { city: 'Oslo' })],
    ]);
    expect(merged).toEqual([
      {
        externalId: '1',
        payload: {
          id: '1',
          properties: { email: 'a@x.io', city: 'Oslo' },
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-02T00:00:00.000Z',
          archived: false,
        },
      },
      expect.objectContaining({
        externalId: '20',
        payload: expect.objectContaining({ properties: { email: null, city: 'Lyon' } }),
      }),
    ]);
  });

  it('leaves out a record archived between chunks, and ignores records only later chunks list', () => {
    const merged = mergeChunks([
      [listed('1', { a: '1' }), listed('2', { a: '2' })],
      [listed('2', { b: '2' }), listed('3', { b: '3' })],
    ]);
    expect(merged.map((r) => r.externalId)).toEqual(['2']);
  });
});
