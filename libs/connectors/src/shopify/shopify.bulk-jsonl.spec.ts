import { BulkFileError, parseBulkJsonl } from './shopify.bulk-jsonl';

const ORDER_CHILDREN = { LineItem: 'lineItems' };
const jsonl = (...lines: object[]) => `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;

describe('parseBulkJsonl', () => {
  it('nests children under their parent, even when they arrive after other parents', () => {
    const text = jsonl(
      { id: 'gid://shopify/Order/1', name: '#1' },
      { id: 'gid://shopify/LineItem/11', sku: 'a', __parentId: 'gid://shopify/Order/1' },
      { id: 'gid://shopify/Order/2', name: '#2' },
      { id: 'gid://shopify/Order/3', name: '#3' },
      { id: 'gid://shopify/LineItem/12', sku: 'b', __parentId: 'gid://shopify/Order/1' },
      { id: 'gid://shopify/LineItem/31', sku: 'c', __parentId: 'gid://shopify/Order/3' },
    );
    expect(parseBulkJsonl(text, ORDER_CHILDREN, 6)).toEqual([
      {
        externalId: 'gid://shopify/Order/1',
        payload: {
          id: 'gid://shopify/Order/1',
          name: '#1',
          lineItems: [
            { id: 'gid://shopify/LineItem/11', sku: 'a' },
            { id: 'gid://shopify/LineItem/12', sku: 'b' },
          ],
        },
      },
      {
        externalId: 'gid://shopify/Order/2',
        payload: { id: 'gid://shopify/Order/2', name: '#2', lineItems: [] },
      },
      {
        externalId: 'gid://shopify/Order/3',
        payload: {
          id: 'gid://shopify/Order/3',
          name: '#3',
          lineItems: [{ id: 'gid://shopify/LineItem/31', sku: 'c' }],
        },
      },
    ]);
  });

  it('reads an empty result as no records, and objects without children as they are', () => {
    expect(parseBulkJsonl('', {}, 0)).toEqual([]);
    expect(parseBulkJsonl(jsonl({ id: 'gid://shopify/Customer/7', email: null }), {})).toEqual([
      { externalId: 'gid://shopify/Customer/7', payload: { id: 'gid://shopify/Customer/7', email: null } },
    ]);
  });

  it('refuses a file that is not the whole result: wrong line count, broken line, orphan or unknown child', () => {
    const order = { id: 'gid://shopify/Order/1' };
    expect(() => parseBulkJsonl(jsonl(order), ORDER_CHILDREN, 2)).toThrow(
      new BulkFileError('the bulk result has 1 lines where the job reported 2'),
    );
    expect(() => parseBulkJsonl(`${JSON.stringify(order)}\n{"id":"gid://shop`, ORDER_CHILDREN)).toThrow(
      /line 2 of the bulk result is not JSON/,
    );
    expect(() =>
      parseBulkJsonl(
        jsonl(order, { id: 'gid://shopify/LineItem/2', __parentId: 'gid://shopify/Order/9' }),
        ORDER_CHILDREN,
      ),
    ).toThrow(/names the parent gid:\/\/shopify\/Order\/9, which the file does not hold/);
    expect(() =>
      parseBulkJsonl(jsonl(order, { id: 'gid://shopify/Fulfillment/2', __parentId: order.id }), ORDER_CHILDREN),
    ).toThrow(/holds a Fulfillment, which this query never asks for/);
  });
});
