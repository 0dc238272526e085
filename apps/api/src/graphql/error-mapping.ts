import { DomainErrorCode, DomainException, assertNever } from '@app/common';
import { HttpException } from '@nestjs/common';
import { ServiceError } from '@temporalio/client';
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
  'SERVICE_UNAVAILABLE',
]);

// gRPC status codes the Temporal client reports when the frontend cannot be reached in time.
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** True when a Temporal call failed because the server is down or unreachable (after the client's retries). */
export function isTemporalUnavailable(exception: unknown): boolean {
  const code =
    exception instanceof ServiceError ? (exception.cause as { code?: unknown } | undefined)?.code : undefined;
  return code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED;
}

const TEMPORAL_UNAVAILABLE =
  'Temporal is not reachable, so this operation did not run and nothing changed; ' +
  'check that the Temporal server is up (the api reports it in /health/ready), then retry';

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
    const reason = exception.details?.reason;
    const extensions = {
      code: graphqlCode(exception.code),
      ...(Array.isArray(problems) ? { problems } : {}),
      // A finer, stable code some answers carry (e.g. INVALID_CRON), for clients that branch on it.
      ...(typeof reason === 'string' ? { reason } : {}),
    };
    return { error: new GraphQLError(exception.message, { extensions }), masked: false };
  }
  if (exception instanceof HttpException && exception.getStatus() === 400) {
    return {
      error: new GraphQLError(validationMessage(exception), { extensions: { code: 'BAD_USER_INPUT' } }),
      masked: false,
    };
  }
  if (isTemporalUnavailable(exception)) {
    return {
      error: new GraphQLError(TEMPORAL_UNAVAILABLE, { extensions: { code: 'SERVICE_UNAVAILABLE' } }),
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
