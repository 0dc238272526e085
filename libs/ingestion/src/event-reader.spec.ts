import { DomainException } from '@app/common';
import { decodeEventCursor, encodeEventCursor } from './event-reader';

describe('event cursors', () => {
  it('round-trips what encodeEventCursor issued', () => {
    const cursor = encodeEventCursor({ receivedAt: new Date('2026-12-01T10:00:00.123Z'), id: '42' });
    expect(decodeEventCursor(cursor)).toEqual({ receivedAt: '2026-12-01T10:00:00.123Z', id: '42' });
  });

  it.each([
    ['not base64 JSON', 'zzz'],
    [
      'a uuid cursor of another connection',
      encode(['2026-12-01T10:00:00.123Z', '6f1c2a6e-1b7a-4b8e-9d51-0c7e0e6c1a11']),
    ],
    ['a bad timestamp', encode(['2026-13-01T10:00:00.123Z', '1'])],
    ['an id past bigint', encode(['2026-12-01T10:00:00.123Z', '99999999999999999999'])],
    ['a number id', encode(['2026-12-01T10:00:00.123Z', 1])],
  ])('refuses %s as INVALID_INPUT', (_what, cursor) => {
    expect(() => decodeEventCursor(cursor)).toThrow(DomainException);
    expect(() => decodeEventCursor(cursor)).toThrow('pass pageInfo.endCursor');
  });
});

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
