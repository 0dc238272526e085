import { pgIntArray, pgTextArray } from './pg-session';

describe('Postgres array literals', () => {
  it('quote every string, escaping " and \\ only where present', () => {
    expect(pgTextArray(['a', 'NULL', '{,}', ' ', ''])).toBe('{"a","NULL","{,}"," ",""}');
    expect(pgTextArray(['a', 'say "hi"', 'back\\slash'])).toBe('{"a","say \\"hi\\"","back\\\\slash"}');
    expect(pgTextArray([])).toBe('{}');
  });

  it('write integers bare and null as NULL', () => {
    expect(pgIntArray([1, null, 300])).toBe('{1,null,300}');
    expect(pgIntArray([])).toBe('{}');
  });
});
