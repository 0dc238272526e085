import { nest } from './bulk-baseline';

// The full-refresh baseline must hold orders shaped as the engine's records (line items as a list on the order),
// or the case compares different rows.
describe('nest (bulk JSONL to orders)', () => {
  const line = (value: object) => JSON.stringify(value);

  it('puts each line item under the order its __parentId names, without that field', () => {
    const text = [
      line({ id: 'gid://shopify/Order/1', name: '#1' }),
      line({ id: 'gid://shopify/LineItem/11', __parentId: 'gid://shopify/Order/1' }),
      line({ id: 'gid://shopify/Order/2', name: '#2' }),
      line({ id: 'gid://shopify/LineItem/12', __parentId: 'gid://shopify/Order/1' }),
      '',
    ].join('\n');
    expect(nest(text)).toEqual([
      {
        id: 'gid://shopify/Order/1',
        name: '#1',
        lineItems: [{ id: 'gid://shopify/LineItem/11' }, { id: 'gid://shopify/LineItem/12' }],
      },
      { id: 'gid://shopify/Order/2', name: '#2', lineItems: [] },
    ]);
  });

  it('refuses a line item whose order no earlier line holds', () => {
    const text = line({ id: 'gid://shopify/LineItem/11', __parentId: 'gid://shopify/Order/9' });
    expect(() => nest(text)).toThrow(/Order\/9/);
  });
});
