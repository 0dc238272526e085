import { DomainException } from '@app/common';
import { decodeTimeIdCursor, encodeTimeIdCursor } from './time-id-cursor';

describe('(receivedAt, id) cursors', () => {
  it('round-trips what encodeTimeIdCursor issued', () => {
    const cursor = encodeTimeIdCursor('e', { receivedAt: new Date('2026-12-01T10:00:00.123Z'), id: '42' });
    expect(decodeTimeIdCursor('e', cursor, 'sourceEvents')).toEqual({
      receivedAt: '2026-12-01T10:00:00.123Z',
      id: '42',
    });
  });

  it.each([
    ['not base64 JSON', 'zzz'],
    [
      'a uuid cursor of another connection',
      encode(['e', '2026-12-01T10:00:00.123Z', '6f1c2a6e-1b7a-4b8e-9d51-0c7e0e6c1a11']),
    ],
    ['a cursor of sourceRejections', encode(['r', '2026-12-01T10:00:00.123Z', '1'])],
    ['an untagged cursor', encode(['2026-12-01T10:00:00.123Z', '1'])],
    ['a bad timestamp', encode(['e', '2026-13-01T10:00:00.123Z', '1'])],
    ['an id past bigint', encode(['e', '2026-12-01T10:00:00.123Z', '99999999999999999999'])],
    ['a number id', encode(['e', '2026-12-01T10:00:00.123Z', 1])],
  ])('refuses %s as INVALID_INPUT naming the query', (_what, cursor) => {
    expect(() => decodeTimeIdCursor('e', cursor, 'sourceEvents')).toThrow(DomainException);
    expect(() => decodeTimeIdCursor('e', cursor, 'sourceEvents')).toThrow(
      '"after" is not a cursor sourceEvents issued; pass pageInfo.endCursor',
    );
  });
});

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
