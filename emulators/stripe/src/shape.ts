// Objects as the pinned API version renders them. Each object's field set is taken from Stripe's own sample
// (fixtures/<object>.json, from stripe/openapi fixtures3.json, MIT): a shape refuses an object that lacks or
// adds a field, so refreshing a fixture shows at once what a generator misses.

export interface FixtureShape {
  /** The fixture's field names in Stripe's order: `id` and `object` first, then the others alphabetically. */
  readonly fields: readonly string[];
  /** The object with its keys in Stripe's order; throws if its field set differs from the fixture's. */
  shape<T extends object>(value: T): T;
}

export function fixtureShape(name: string, fixture: object): FixtureShape {
  const fields = [
    'id',
    'object',
    ...Object.keys(fixture)
      .filter((key) => key !== 'id' && key !== 'object')
      .sort(),
  ];
  return {
    fields,
    shape<T extends object>(value: T): T {
      const keys = Object.keys(value);
      const missing = fields.filter((key) => !keys.includes(key));
      const extra = keys.filter((key) => !fields.includes(key));
      if (missing.length > 0 || extra.length > 0) {
        throw new Error(
          `${name} shape differs from the fixture: missing [${missing.join(', ')}], extra [${extra.join(', ')}]`,
        );
      }
      const source = value as Record<string, unknown>;
      return Object.fromEntries(fields.map((key) => [key, source[key]])) as T;
    },
  };
}
