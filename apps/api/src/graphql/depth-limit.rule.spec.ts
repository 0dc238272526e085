import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { depthLimitRule } from './depth-limit.rule';

const schema = buildSchema(`
  type Node { id: ID! child: Node }
  type Query { node: Node }
`);

const errorsFor = (query: string, max: number): string[] =>
  validate(schema, parse(query), [depthLimitRule(max)]).map((e) => e.message);

describe(depthLimitRule.name, () => {
  it('accepts queries within the limit', () => {
    expect(errorsFor('{ node { child { id } } }', 3)).toEqual([]);
  });

  it('rejects deeper queries, counting through fragments', () => {
    expect(errorsFor('{ node { child { child { id } } } }', 3)).toEqual([
      'Query depth 4 exceeds the limit of 3; request fewer nested levels',
    ]);
    expect(errorsFor('{ node { ...F } } fragment F on Node { child { child { id } } }', 3)).toHaveLength(1);
  });

  it('does not loop on cyclic fragments', () => {
    expect(() => errorsFor('{ node { ...A } } fragment A on Node { child { ...A } }', 3)).not.toThrow();
  });

  it('lets GraphiQL introspect', () => {
    expect(errorsFor(getIntrospectionQuery(), 3)).toEqual([]);
  });
});
