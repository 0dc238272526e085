import { pgArray } from './pg-session';

describe('pgArray', () => {
  it('quotes every string, escapes " and \\, writes null as NULL and numbers bare', () => {
    expect(pgArray(['a', 'NULL', 'say "hi"', 'back\\slash', '{,}', ' ', ''])).toBe(
      '{"a","NULL","say \\"hi\\"","back\\\\slash","{,}"," ",""}',
    );
    expect(pgArray([1, null, 300])).toBe('{1,NULL,300}');
    expect(pgArray([])).toBe('{}');
  });
});
