import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { backoffDelayMs } from './backoff';
import { ProviderError } from '@app/connectors';

/**
 * The activity boundary: provider errors become Temporal failures carrying our message and the
 * provider's code, never the provider's text. Anything else is rethrown (retried with the policy).
 */
export function toApplicationFailure(error: unknown, attempt: number): unknown {
  if (!(error instanceof ProviderError)) {
    return error;
  }
  const details = { provider: error.provider, status: error.status, providerCode: error.providerCode };
  switch (error.kind) {
    case 'auth':
    case 'permission':
    case 'invalid':
    case 'exhausted':
      return ApplicationFailure.create({
        type: `Provider_${error.kind}`,
        message: error.message,
        nonRetryable: true,
        details: [details],
      });
    case 'rate_limited':
      return ApplicationFailure.create({
        type: 'Provider_rate_limited',
        message: error.message,
        nextRetryDelay: error.retryAfterMs ?? backoffDelayMs(attempt),
        category: ApplicationFailureCategory.BENIGN,
        details: [details],
      });
    case 'transient':
    case 'cursor_gone':
      return ApplicationFailure.create({ type: `Provider_${error.kind}`, message: error.message, details: [details] });
  }
}
