import { parse, type OperationDefinitionNode } from 'graphql';
import { CostBucket, requestedCost } from './cost';
import { adminSchema } from './schema';

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  return requestedCost(operation, { schema: adminSchema(), fragments: {}, variables });
}

describe('Shopify query cost', () => {
  it('charges 2 + first for a connection of scalars, nothing for scalars, PageInfo or edges', () => {
    expect(cost('{ customers(first: 250) { nodes { id email } pageInfo { hasNextPage endCursor } } }')).toBe(252);
    expect(cost('{ customers(first: 10) { edges { cursor node { id } } } }')).toBe(12);
    expect(cost('query($n: Int) { products(last: $n) { nodes { id } } }', { n: 50 })).toBe(52);
  });

  it('adds 1 per object field and multiplies nested connections by the page size', () => {
    expect(cost('{ customers(first: 10) { nodes { id amountSpent { amount } } } }')).toBe(22);
    expect(cost('{ orders(first: 10) { nodes { id lineItems(first: 5) { nodes { id } } } } }')).toBe(2 + 10 * (1 + 7));
    expect(cost('{ orders(first: 250) { nodes { id lineItems(first: 10) { nodes { id } } } } }')).toBe(3252);
    expect(cost('{ shop { name } customer(id: "gid://shopify/Customer/1") { id } }')).toBe(2);
  });

  it('charges 10 per mutation field', () => {
    expect(
      cost('mutation { bulkOperationRunQuery(query: "{}", groupObjects: false) { userErrors { message } } }'),
    ).toBe(10);
  });
});

describe('Shopify cost bucket', () => {
  it('takes points, refuses a query it cannot afford, refunds, and leaks back at restoreRate per second', () => {
    let now = 0;
    const bucket = new CostBucket({ maximumAvailable: 100, restoreRate: 10 }, () => now);
    expect(bucket.take(60)).toBe(true);
    expect(bucket.take(60)).toBe(false);
    expect(bucket.status()).toEqual({ maximumAvailable: 100, currentlyAvailable: 40, restoreRate: 10 });
    bucket.refund(10);
    now += 2000;
    expect(bucket.status().currentlyAvailable).toBe(70);
    now += 60_000;
    expect(bucket.status().currentlyAvailable).toBe(100);
  });

  it('never throttles without limits, and reports a full bucket', () => {
    const bucket = new CostBucket(false, () => 0);
    expect(bucket.take(1_000_000)).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(2000);
  });
});
