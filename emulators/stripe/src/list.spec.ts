import { StripeApiError } from './errors';
import { paginate, parseListParams } from './list';
import { parseQuery } from './query';

describe('Stripe list protocol', () => {
  // Items already in list order: a0 is the newest; `created` falls by 10 per step.
  const items = Array.from({ length: 12 }, (_, i) => ({ id: `a${i}`, created: 1000 - 10 * i }));
  const page = (query: string) => {
    const params = parseListParams(parseQuery(`/v1/x?${query}`));
    const found = paginate(
      items,
      params,
      (id) => items.findIndex((item) => item.id === id),
      (item) => params.created(item.created),
      '/v1/x',
    );
    return [found.data.map((item) => item.id).join(','), found.has_more];
  };
  const errorOf = (query: string) => {
    try {
      parseListParams(parseQuery(`/v1/x?${query}`));
      return undefined;
    } catch (error) {
      return (error as StripeApiError).body().error;
    }
  };

  it('pages forwards from the newest, and after a cursor', () => {
    expect(page('limit=5')).toEqual(['a0,a1,a2,a3,a4', true]);
    expect(page('limit=5&starting_after=a4')).toEqual(['a5,a6,a7,a8,a9', true]);
    expect(page('starting_after=a9')).toEqual(['a10,a11', false]);
    expect(page('starting_after=a11')).toEqual(['', false]);
  });

  it('gives the page just before an ending_before cursor, still newest first', () => {
    expect(page('limit=3&ending_before=a9')).toEqual(['a6,a7,a8', true]);
    expect(page('limit=3&ending_before=a2')).toEqual(['a0,a1', false]);
    expect(page('ending_before=a0')).toEqual(['', false]);
  });

  it('applies created ranges before the limit, also across a cursor outside the range', () => {
    expect(page('created[lte]=950&created[gt]=900&limit=2')).toEqual(['a5,a6', true]);
    expect(page('created=930')).toEqual(['a7', false]);
    expect(page('created[lt]=960&starting_after=a1&limit=2')).toEqual(['a5,a6', true]);
    expect(page('created[gte]=960&ending_before=a9&limit=10')).toEqual(['a0,a1,a2,a3,a4', false]);
  });

  it('refuses a bad limit, an empty cursor, two cursors and a non-integer date', () => {
    expect(errorOf('limit=0')).toMatchObject({
      param: 'limit',
      message: 'This value must be greater than or equal to 1.',
    });
    expect(errorOf('limit=101')).toMatchObject({
      param: 'limit',
      message: 'This value must be less than or equal to 100.',
    });
    expect(errorOf('limit=1.5')).toMatchObject({ param: 'limit', code: 'parameter_invalid_integer' });
    expect(errorOf('starting_after=')).toMatchObject({ param: 'starting_after', code: 'parameter_invalid_empty' });
    expect(errorOf('starting_after=a&ending_before=b')?.message).toMatch(
      /^Received both starting_after and ending_before/,
    );
    expect(errorOf('created%5Bgte%5D=soon')).toMatchObject({
      param: 'created[gte]',
      code: 'parameter_invalid_integer',
    });
    expect(errorOf('limit=100&created[lt]=5')).toBeUndefined();
  });
});
