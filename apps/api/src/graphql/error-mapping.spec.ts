import { DomainErrorCode, DomainException } from '@app/common';
import { BadRequestException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { formatGraphqlError, graphqlCode, toGraphqlError } from './error-mapping';

describe(toGraphqlError.name, () => {
  it.each([
    [DomainErrorCode.INVALID_INPUT, 'BAD_USER_INPUT'],
    [DomainErrorCode.UNAUTHENTICATED, 'UNAUTHENTICATED'],
    [DomainErrorCode.FORBIDDEN, 'FORBIDDEN'],
    [DomainErrorCode.NOT_FOUND, 'NOT_FOUND'],
    [DomainErrorCode.CONFLICT, 'CONFLICT'],
  ])('maps domain code %s to %s with its message', (code, expected) => {
    const { error, masked } = toGraphqlError(new DomainException(code, 'what to fix'), 'req-1');
    expect(graphqlCode(code)).toBe(expected);
    expect(masked).toBe(false);
    expect(error.message).toBe('what to fix');
    expect(error.extensions.code).toBe(expected);
  });

  it('lists validation problems for BAD_USER_INPUT', () => {
    const { error } = toGraphqlError(DomainException.invalid('a; b', { problems: ['a', 'b'] }), undefined);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', problems: ['a', 'b'] });
  });

  it('carries a finer stable reason when the domain gives one', () => {
    const { error } = toGraphqlError(DomainException.invalid('fix the cron', { reason: 'INVALID_CRON' }), undefined);
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_CRON' });
  });

  it('turns a 400 from the validation pipe into BAD_USER_INPUT', () => {
    const { error } = toGraphqlError(new BadRequestException(['first must be at most 100', 'name is required']), 'r');
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe('first must be at most 100; name is required');
  });

  it('masks anything unexpected, keeping the request id and dropping SQL', () => {
    const sqlError = new QueryFailedError(
      'SELECT secret FROM t',
      ['sk_test_leak'],
      new Error('relation "t" does not exist'),
    );
    const { error, masked } = toGraphqlError(sqlError, 'req-42');
    expect(masked).toBe(true);
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' });
    expect(error.message).toContain('req-42');
    expect(JSON.stringify(error)).not.toMatch(/SELECT|sk_test_leak|relation/);
  });

  it('passes GraphQL errors with public codes through', () => {
    const original = new GraphQLError('Syntax Error', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(toGraphqlError(original, 'r').error).toBe(original);
  });
});

describe(formatGraphqlError.name, () => {
  it('drops stack traces from public errors', () => {
    const out = formatGraphqlError({ message: 'm', extensions: { code: 'NOT_FOUND', stacktrace: ['at x'] } });
    expect(out).toEqual({ message: 'm', extensions: { code: 'NOT_FOUND' } });
  });

  it('masks unknown codes and internal errors that did not pass through the filter', () => {
    const out = formatGraphqlError({
      message: 'Cannot return null for non-nullable field Source.name',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(out.message).not.toContain('Source.name');
    expect(formatGraphqlError({ message: 'x', extensions: { code: 'WEIRD' } }).extensions?.code).toBe(
      'INTERNAL_SERVER_ERROR',
    );
  });
});

describe('abuse limit codes', () => {
  it('keeps a limit code Apollo filed under GRAPHQL_VALIDATION_FAILED, with its numbers', () => {
    const formatted = {
      message: 'Query cost 9 exceeds the limit of 5; …',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost: 9, maxCost: 5 },
    };
    expect(formatGraphqlError(formatted, 'QUERY_TOO_COSTLY').extensions).toEqual({
      code: 'QUERY_TOO_COSTLY',
      cost: 9,
      maxCost: 5,
    });
  });
});
