import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor } from './cursor';
import { DomainErrorCode, DomainException } from './domain.exception';

const raw = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function codeOf(cursor: string): DomainErrorCode | undefined {
  try {
    decodeCursor(cursor);
    return undefined;
  } catch (error) {
    return error instanceof DomainException ? error.code : undefined;
  }
}

describe('decodeCursor', () => {
  it('round-trips what encodeCursor issued', () => {
    const position = { createdAt: new Date('2026-12-01T10:00:00.123Z'), id: randomUUID() };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    ['not base64 JSON', 'garbage'],
    ['an id that is not a UUID', raw(['2026-12-01T10:00:00.000Z', 'not-a-uuid'])],
    ['an id that is a number', raw(['2026-12-01T10:00:00.000Z', 42])],
    ['a date Postgres would misread', raw(['+275760-09-13T00:00:00.000Z', randomUUID()])],
    ['a date that is not ISO', raw(['yesterday', randomUUID()])],
    ['an impossible hour', raw(['2026-02-03T25:00:00.000Z', randomUUID()])],
    ['a day that rolls over', raw(['2026-02-31T10:00:00.000Z', randomUUID()])],
    ['three parts', raw(['2026-12-01T10:00:00.000Z', randomUUID(), 'x'])],
  ])('refuses %s as invalid input', (_what, cursor) => {
    expect(codeOf(cursor)).toBe(DomainErrorCode.INVALID_INPUT);
  });
});
