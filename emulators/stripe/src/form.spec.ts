import { parseForm } from './form';

describe(parseForm.name, () => {
  it('nests bracket keys, raw or percent-encoded, into hashes and arrays', () => {
    const body =
      'email=a%40x.test&metadata[plan]=pro&metadata%5Bteam%5D=core&items[0][price]=p1&items[1][price]=p2&expand[]=a&expand[]=b';
    expect(parseForm(body)).toEqual({
      email: 'a@x.test',
      metadata: { plan: 'pro', team: 'core' },
      items: [{ price: 'p1' }, { price: 'p2' }],
      expand: ['a', 'b'],
    });
  });

  it('keeps empty values (they unset fields) and refuses conflicting keys', () => {
    expect(parseForm('name=&metadata[plan]=')).toEqual({ name: '', metadata: { plan: '' } });
    expect(() => parseForm('metadata=x&metadata[plan]=pro')).toThrow('conflicts');
    expect(() => parseForm('bad]key=1')).toThrow('Invalid parameter name');
  });
});
