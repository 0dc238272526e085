import { bulkChildFields, bulkQueryFor } from './shopify.bulk-queries';

describe('bulkQueryFor', () => {
  it('reads a whole connection sorted by UPDATED_AT, with its nested connection', () => {
    const query = bulkQueryFor('orders');
    expect(query).toMatch(/^\{ orders\(sortKey: UPDATED_AT\) \{ edges \{ node \{ id legacyResourceId /);
    expect(query).toContain('lineItems { edges { node { id name');
    expect(bulkQueryFor('customers')).not.toContain('edges { node { id name title');
    expect(bulkChildFields('products')).toEqual({ ProductVariant: 'variants' });
    expect(bulkChildFields('customers')).toEqual({});
  });

  it('bounds updated_at inclusively on both sides so rows on a boundary are never skipped', () => {
    expect(bulkQueryFor('customers', { gte: '2026-01-01T00:00:00Z', lte: '2026-02-01T00:00:00Z' })).toMatch(
      /^\{ customers\(query: "updated_at:>='2026-01-01T00:00:00Z' AND updated_at:<='2026-02-01T00:00:00Z'", sortKey: UPDATED_AT\)/,
    );
    expect(bulkQueryFor('products', { lte: '2026-02-01T00:00:00.500Z' })).toContain(
      `products(query: "updated_at:<='2026-02-01T00:00:00.500Z'"`,
    );
  });

  it('refuses an unknown object and a malformed or empty bound (Shopify answers an empty one with a 500)', () => {
    expect(() => bulkQueryFor('refunds')).toThrow(/Shopify has no object "refunds"/);
    expect(() => bulkQueryFor('orders', { gte: '' })).toThrow(/must be an ISO UTC date-time/);
    expect(() => bulkQueryFor('orders', { gte: "2026-01-01' OR id:>0" })).toThrow(/must be an ISO UTC date-time/);
  });
});
