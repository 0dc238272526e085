import { previousAttributes } from './previous';

describe(previousAttributes.name, () => {
  it('keeps the old values of changed fields, hashes key by key, new keys as null', () => {
    const before = { email: 'a@x.test', name: 'A', metadata: { plan: 'free', keep: '1', gone: 'x' }, n: [1] };
    const after = { email: 'b@x.test', name: 'A', metadata: { plan: 'pro', keep: '1', added: 'y' }, n: [1] };
    expect(previousAttributes(before, after)).toEqual({
      email: 'a@x.test',
      metadata: { plan: 'free', gone: 'x', added: null },
    });
  });

  it('is undefined when nothing changed', () => {
    expect(previousAttributes({ a: { b: 1 }, c: null }, { a: { b: 1 }, c: null })).toBeUndefined();
  });
});
