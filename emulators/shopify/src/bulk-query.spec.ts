import { checkBulkQuery } from './bulk-query';

const error = (query: string) => {
  const checked = checkBulkQuery(query);
  return 'error' in checked ? checked.error : undefined;
};

describe('Shopify bulk query rules', () => {
  it('accepts up to 5 connections nested up to 2 deep with ids on parents', () => {
    expect(error('{ orders { edges { node { id lineItems { edges { node { id } } } } } } }')).toBeUndefined();
    const five = ['a', 'b', 'c', 'd', 'e'].map((alias) => `${alias}: products { nodes { id } }`).join(' ');
    expect(error(`{ ${five} }`)).toBeUndefined();
  });

  it('refuses no connection, 6 connections, 3 levels, a parent without id, a mutation and fragment definitions', () => {
    expect(error('{ shop { name } }')).toBe('Bulk queries must contain at least one connection.');
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((alias) => `${alias}: products { nodes { id } }`).join(' ');
    expect(error(`{ ${six} }`)).toBe('Bulk queries cannot contain more than 5 connections.');
    expect(error('{ customers { nodes { id orders { nodes { id lineItems { nodes { id } } } } } } }')).toBe(
      'Bulk queries cannot contain connections with a nesting depth greater than 2.',
    );
    expect(error('{ products { nodes { title variants { nodes { id } } } } }')).toMatch(/without 'id': variants/);
    expect(error('mutation { tagsAdd(id: "x", tags: ["a"]) { userErrors { message } } }')).toBe(
      'Bulk queries must contain exactly one query operation.',
    );
    expect(error('{ products { nodes { ...F } } } fragment F on Product { id }')).toMatch(/fragment definitions/);
    expect(error('{ products { nodes { id nope } } }')).toMatch(/^Invalid bulk query: Cannot query field "nope"/);
  });
});
