import { buildSchema, parse, validate } from 'graphql';
import { aliasLimitRule } from './alias-limit.rule';

const schema = buildSchema(`
  type Item { id: ID! name: String! }
  type Query { items(first: Int): [Item!]! item(id: ID!): Item }
`);

const errorsFor = (query: string, max: number) => validate(schema, parse(query), [aliasLimitRule(max)]);
const aliases = (n: number): string => Array.from({ length: n }, (_, i) => `a${i}: items(first: 100) { id }`).join(' ');

describe(aliasLimitRule.name, () => {
  it('accepts operations within the limit, counting nested aliases too', () => {
    expect(errorsFor(`{ ${aliases(3)} }`, 3)).toEqual([]);
    expect(errorsFor('{ items { id } item(id: "1") { name } }', 0)).toEqual([]);
  });

  it('refuses more aliases than the limit with TOO_MANY_ALIASES and the numbers', () => {
    const [error] = errorsFor(`{ ${aliases(300)} }`, 30);
    expect(error.message).toBe(
      'Operation uses 300 aliases; the limit is 30: request each field once, or split the operation',
    );
    expect(error.extensions).toEqual({ code: 'TOO_MANY_ALIASES', aliases: 300, maxAliases: 30 });
    expect(errorsFor('{ item(id: "1") { x: id y: name } }', 1)).toHaveLength(1);
  });

  it('counts a fragment once per spread, and stays linear on fragments that spread each other', () => {
    const query = '{ item(id: "1") { ...F } other: item(id: "2") { ...F } } fragment F on Item { a: id b: name }';
    expect(errorsFor(query, 5)).toEqual([]);
    expect(errorsFor(query, 4)[0]?.extensions.aliases).toBe(5);
    const chain = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Query { x: items { id } ...F${i + 1} ...F${i + 1} }`,
    );
    const started = Date.now();
    expect(errorsFor(`{ ...F0 } ${chain.join(' ')} fragment F40 on Query { items { id } }`, 30)).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
