import { EmptySearchValue, parseSearch, searchPredicate } from './search';
import type { CustomerRecord, OrderRecord, ProductRecord } from './records';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-03-01T00:00:00Z');

function customer(id: number, updatedAt: string, extra: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    id,
    createdAt: at('2026-01-01T00:00:00Z'),
    updatedAt: at(updatedAt),
    writtenAt: at(updatedAt),
    tags: [],
    email: `c${id}@example.com`,
    firstName: 'Ava',
    lastName: 'Silva',
    phone: null,
    note: null,
    state: 'ENABLED',
    verifiedEmail: true,
    numberOfOrders: 0,
    amountSpent: '0.00',
    ...extra,
  };
}

describe('Shopify search syntax', () => {
  const customers = [
    customer(1, '2026-02-01T00:00:00Z', { tags: ['vip'] }),
    customer(2, '2026-02-01T00:00:01Z', { email: 'Ava@Example.com' }),
    customer(3, '2026-02-02T12:00:00Z', { tags: ['vip', 'b2b'] }),
  ];
  const ids = (query: string) => customers.filter(searchPredicate(query, 'customers', NOW)).map((record) => record.id);

  it('parses comparisons, quoting, AND and OR into groups of terms', () => {
    expect(parseSearch(`updated_at:>='2026-01-01T00:00:00Z' AND tag:vip OR email:"a@b.c"`)).toEqual([
      [
        { field: 'updated_at', op: ':>=', value: '2026-01-01T00:00:00Z', negated: false },
        { field: 'tag', op: ':', value: 'vip', negated: false },
      ],
      [{ field: 'email', op: ':', value: 'a@b.c', negated: false }],
    ]);
  });

  it('compares updated_at and created_at with >, >=, <, <= at second precision', () => {
    expect(ids(`updated_at:>'2026-02-01T00:00:00Z'`)).toEqual([2, 3]);
    expect(ids(`updated_at:>='2026-02-01T00:00:00Z'`)).toEqual([1, 2, 3]);
    expect(ids(`updated_at:<'2026-02-01T00:00:01Z'`)).toEqual([1]);
    expect(ids(`updated_at:<=2026-02-01T00:00:01Z`)).toEqual([1, 2]);
    expect(ids(`updated_at:>='2026-02-01T00:00:01Z' AND updated_at:<'2026-02-02T12:00:00Z'`)).toEqual([2]);
    expect(ids('created_at:<2026-01-01')).toEqual([]);
    expect(ids('updated_at:<now')).toEqual([1, 2, 3]);
  });

  it('matches email case-insensitively and tags exactly, negation included', () => {
    expect(ids('email:ava@example.com')).toEqual([2]);
    expect(ids('tag:vip')).toEqual([1, 3]);
    expect(ids('tag:vip AND -tag:b2b')).toEqual([1]);
    expect(ids('tag:b2b OR email:c1@example.com')).toEqual([1, 3]);
  });

  it('filters orders and products by status', () => {
    const open = { id: 1, cancelledAt: null, closedAt: null } as OrderRecord;
    const closed = { id: 2, cancelledAt: null, closedAt: NOW } as OrderRecord;
    const orders = [open, closed].filter(searchPredicate('status:open', 'orders', NOW));
    expect(orders.map((order) => order.id)).toEqual([1]);
    const products = [
      { id: 1, status: 'ACTIVE' },
      { id: 2, status: 'DRAFT' },
    ] as ProductRecord[];
    expect(products.filter(searchPredicate('status:draft', 'products', NOW)).map((p) => p.id)).toEqual([2]);
    expect(products.filter(searchPredicate('status:active,draft', 'products', NOW))).toHaveLength(2);
  });

  it('fails on an empty value, as Shopify does internally (Airbyte #33827), and ignores unknown fields', () => {
    expect(() => parseSearch('updated_at:>')).toThrow(EmptySearchValue);
    expect(() => parseSearch("updated_at:>='' AND tag:vip")).toThrow(EmptySearchValue);
    expect(ids('colour:blue')).toEqual([1, 2, 3]);
  });
});
