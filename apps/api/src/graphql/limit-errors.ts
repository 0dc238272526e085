import { GraphQLError } from 'graphql';

// Codes of the abuse limits: Apollo files every validation error under GRAPHQL_VALIDATION_FAILED,
// formatError restores these.
export const LIMIT_ERROR_CODES = new Set(['QUERY_TOO_COSTLY', 'TOO_MANY_ALIASES']);

/** A validation error carrying its own stable code (and the numbers behind it). */
export function limitError(code: string, message: string, extensions: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** The limit code behind an error Apollo wrapped, if any. */
export function limitCodeOf(error: unknown): string | undefined {
  const original = (error as { originalError?: unknown } | undefined)?.originalError;
  const code = original instanceof GraphQLError ? original.extensions.code : undefined;
  return typeof code === 'string' && LIMIT_ERROR_CODES.has(code) ? code : undefined;
}
