import { buildSchema, getIntrospectionQuery, type GraphQLError, parse, validate } from 'graphql';
import { costLimitRule } from './cost-limit.rule';

const schema = buildSchema(`
  type PageInfo { hasNextPage: Boolean! }
  type WriteKey { id: ID! }
  type Source { id: ID! name: String! writeKeys: [WriteKey!]! tags: [String!]! }
  type SourceEdge { node: Source! cursor: String! }
  type SourceConnection { totalCount: Int! pageInfo: PageInfo! edges: [SourceEdge!]! }
  type Query { sources(first: Int = 20, after: String): SourceConnection! source(id: ID!): Source tokens: [WriteKey!]! }
  type Mutation { deleteSource(id: ID!): Source! }
`);

const options = { maxCost: 1000, defaultListSize: 10, maxPageSize: 100 };
const errorsFor = (query: string, maxCost = options.maxCost): readonly GraphQLError[] =>
  validate(schema, parse(query), [costLimitRule({ ...options, maxCost })]);
/** The cost the rule computes: the smallest limit that still refuses the query, read from its error. */
const costOf = (query: string): number => (errorsFor(query, 0)[0]?.extensions.cost as number | undefined) ?? 0;

describe(costLimitRule.name, () => {
  it('multiplies a connection subtree by first/last, or the argument default', () => {
    expect(costOf('{ sources(first: 100) { totalCount } }')).toBe(100);
    expect(costOf('{ sources { edges { node { id } } } }')).toBe(20 * (1 + 1 * (1 + 1)));
    expect(costOf('{ sources(first: 10) { edges { node { writeKeys { id } } } } }')).toBe(10 * (1 + (1 + (1 + 10))));
  });

  it('assumes the largest page for a variable, a default size for plain lists, nothing for scalars', () => {
    expect(costOf('query($n: Int) { sources(first: $n) { totalCount } }')).toBe(100);
    expect(costOf('{ tokens { id } }')).toBe(10);
    expect(costOf('{ source(id: "1") { id name tags } }')).toBe(1);
  });

  it('counts every alias and resolves fragments (inline and named) where they are spread', () => {
    expect(costOf('{ a: sources(first: 100) { totalCount } b: sources(first: 100) { totalCount } }')).toBe(200);
    expect(costOf('{ sources(first: 10) { ...E } } fragment E on SourceConnection { edges { node { id } } }')).toBe(
      costOf('{ sources(first: 10) { edges { node { id } } } }'),
    );
    expect(costOf('{ x: source(id: "1") { ...on Source { writeKeys { id } } } }')).toBe(11);
    expect(costOf('mutation { a: deleteSource(id: "1") { id } b: deleteSource(id: "2") { id } }')).toBe(2);
  });

  it('refuses with QUERY_TOO_COSTLY, the cost and the limit', () => {
    const [error, ...more] = errorsFor(
      '{ a: sources(first: 100) { totalCount } b: sources(first: 100) { totalCount } }',
      150,
    );
    expect(more).toEqual([]);
    expect(error.message).toBe(
      'Query cost 200 exceeds the limit of 150; request fewer items (first/last) or fewer fields and aliases',
    );
    expect(error.extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: 200, maxCost: 150 });
    expect(errorsFor('{ sources(first: 100) { totalCount } }', 150)).toEqual([]);
  });

  it('lets GraphiQL introspect, and stays linear on fragments that spread each other', () => {
    expect(errorsFor(getIntrospectionQuery(), 1)).toEqual([]);
    const chain = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Query { a: tokens { id } ...F${i + 1} ...F${i + 1} }`,
    );
    const query = `{ ...F0 } ${chain.join(' ')} fragment F40 on Query { tokens { id } }`;
    const started = Date.now();
    expect(errorsFor(query)[0]?.extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
