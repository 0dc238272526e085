import { GraphQLError } from 'graphql';
import { encodeCursor, MAX_PAGINATION_DEPTH, paginate } from './connection';

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, at: Math.floor(i / 3) }));
const codec = { display: (value: number) => value, parse: Number };
const byAt = (item: { at: number }) => item.at;

describe('Shopify cursor pagination', () => {
  const list = items(10);

  it('pages forward by cursor, ties on the sort value broken by id', () => {
    const first = paginate(list, byAt, { first: 4 }, codec);
    expect(first.items.map((item) => item.id)).toEqual([1, 2, 3, 4]);
    expect([first.hasNextPage, first.hasPreviousPage]).toEqual([true, false]);
    const second = paginate(list, byAt, { first: 4, after: first.cursors[3] }, codec);
    expect(second.items.map((item) => item.id)).toEqual([5, 6, 7, 8]);
    expect(second.hasPreviousPage).toBe(true);
    const last = paginate(list, byAt, { first: 4, after: second.cursors[3] }, codec);
    expect([last.items.map((item) => item.id), last.hasNextPage]).toEqual([[9, 10], false]);
  });

  it('pages backward with last/before, and reverse flips the order', () => {
    const all = paginate(list, byAt, { first: 10 }, codec);
    const before = paginate(list, byAt, { last: 3, before: all.cursors[6] }, codec);
    expect(before.items.map((item) => item.id)).toEqual([4, 5, 6]);
    const reversed = paginate(list, byAt, { first: 3, reverse: true }, codec);
    expect(reversed.items.map((item) => item.id)).toEqual([10, 9, 8]);
    const next = paginate(list, byAt, { first: 3, reverse: true, after: reversed.cursors[2] }, codec);
    expect(next.items.map((item) => item.id)).toEqual([7, 6, 5]);
  });

  it('reaches exactly the 25,000th object and fails on the page past it', () => {
    const many = items(MAX_PAGINATION_DEPTH + 10);
    const byId = (item: { id: number }) => item.id;
    const after = (id: number) => encodeCursor(id, id);
    const lastAllowed = paginate(many, byId, { first: 250, after: after(MAX_PAGINATION_DEPTH - 250) }, codec);
    expect(lastAllowed.items.at(-1)?.id).toBe(MAX_PAGINATION_DEPTH);
    expect(() => paginate(many, byId, { first: 250, after: after(MAX_PAGINATION_DEPTH - 249) }, codec)).toThrow(
      GraphQLError,
    );
    expect(() => paginate(many, byId, { first: 1, after: after(MAX_PAGINATION_DEPTH) }, codec)).toThrow(
      /Pagination depth exceeded/,
    );
  });
});
