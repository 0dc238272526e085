import { DomainErrorCode, DomainException, assertNever } from '@app/common';
import { HttpException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Codes clients may rely on; anything else is masked as INTERNAL_SERVER_ERROR. */
export const PUBLIC_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_COSTLY',
  'TOO_MANY_ALIASES',
  'TOO_MANY_REQUESTS',
]);

export function graphqlCode(code: DomainErrorCode): string {
  switch (code) {
    case DomainErrorCode.INVALID_INPUT:
      return 'BAD_USER_INPUT';
    case DomainErrorCode.UNAUTHENTICATED:
      return 'UNAUTHENTICATED';
    case DomainErrorCode.FORBIDDEN:
      return 'FORBIDDEN';
    case DomainErrorCode.NOT_FOUND:
      return 'NOT_FOUND';
    case DomainErrorCode.CONFLICT:
      return 'CONFLICT';
    default:
      return assertNever(code);
  }
}

export interface MappedError {
  error: GraphQLError;
  /** True when the original was unexpected: it must be logged and is not shown to the client. */
  masked: boolean;
}

/** Maps anything a resolver, guard or pipe throws to the GraphQL error the client sees. */
export function toGraphqlError(exception: unknown, requestId: string | undefined): MappedError {
  if (exception instanceof DomainException) {
    const problems = exception.details?.problems;
    const extensions = { code: graphqlCode(exception.code), ...(Array.isArray(problems) ? { problems } : {}) };
    return { error: new GraphQLError(exception.message, { extensions }), masked: false };
  }
  if (exception instanceof HttpException && exception.getStatus() === 400) {
    return {
      error: new GraphQLError(validationMessage(exception), { extensions: { code: 'BAD_USER_INPUT' } }),
      masked: false,
    };
  }
  if (exception instanceof GraphQLError && PUBLIC_ERROR_CODES.has(String(exception.extensions.code))) {
    return { error: exception, masked: false };
  }
  return { error: internalError(requestId), masked: true };
}

export function internalError(requestId: string | undefined): GraphQLError {
  const ref = requestId ? ` (request id ${requestId})` : '';
  return new GraphQLError(`Internal server error${ref}; it was logged for the operator`, {
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
  });
}

/**
 * Last pass before the response: no stack traces, no unknown codes, nothing from the database.
 * `limitCode` restores an abuse limit's own code, which Apollo files under GRAPHQL_VALIDATION_FAILED.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, limitCode?: string): GraphQLFormattedError {
  if (limitCode) {
    formatted = { ...formatted, extensions: { ...formatted.extensions, code: limitCode } };
  }
  const rawCode = formatted.extensions?.code;
  const code = typeof rawCode === 'string' ? rawCode : '';
  if (code === 'INTERNAL_SERVER_ERROR' && formatted.message.startsWith('Internal server error')) {
    return { message: formatted.message, path: formatted.path, extensions: { code } };
  }
  if (!PUBLIC_ERROR_CODES.has(code)) {
    return {
      message: 'Internal server error; it was logged for the operator',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  }
  const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions };
}

function validationMessage(exception: HttpException): string {
  const body = exception.getResponse();
  const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : body;
  return Array.isArray(message) ? message.join('; ') : String(message);
}
