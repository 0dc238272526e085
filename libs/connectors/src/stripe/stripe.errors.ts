import Stripe from 'stripe';
import { ProviderError } from '../core/provider-error';

const PROVIDER = 'stripe';

// Stripe's error codes are short snake_case words; anything else in that field is not echoed.
const STRIPE_CODE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Classifies a stripe-node error. Messages are ours, never Stripe's text (its 401 echoes part of the key);
 * only Stripe's error code is kept, when it looks like one.
 */
export function classifyStripeError(error: Stripe.errors.StripeError): ProviderError {
  const { statusCode } = error;
  const code = error.code && STRIPE_CODE.test(error.code) ? error.code : undefined;
  const withCode = (text: string): string => `${text}${code ? ` (Stripe code: ${code})` : ''}`;
  if (error instanceof Stripe.errors.StripeAuthenticationError) {
    return new ProviderError(
      'auth',
      withCode('Stripe rejected the secret key (401): set a valid key with setSourceCredentials'),
      PROVIDER,
      statusCode,
      code,
    );
  }
  if (error instanceof Stripe.errors.StripePermissionError) {
    return new ProviderError(
      'permission',
      withCode(
        'The Stripe key lacks permission to read this object (403): use a secret key or grant the restricted key read access',
      ),
      PROVIDER,
      statusCode,
      code,
    );
  }
  if (error instanceof Stripe.errors.StripeRateLimitError) {
    // Stripe sends no Retry-After on 429 today: then the activity computes the delay (backoff with jitter).
    return new ProviderError(
      'rate_limited',
      withCode('Stripe rate limit reached (429); retrying after a backoff'),
      PROVIDER,
      statusCode,
      code,
      retryAfterMs(error.headers?.['retry-after']),
    );
  }
  if (
    error instanceof Stripe.errors.StripeInvalidRequestError &&
    code === 'resource_missing' &&
    error.param === 'starting_after'
  ) {
    return new ProviderError(
      'cursor_gone',
      'The Stripe paging cursor no longer exists; restarting the listing',
      PROVIDER,
      statusCode,
      code,
    );
  }
  if (statusCode === undefined || statusCode >= 500 || error instanceof Stripe.errors.StripeConnectionError) {
    return new ProviderError(
      'transient',
      withCode(`Stripe is unavailable (${statusCode ?? 'no response'}); will retry`),
      PROVIDER,
      statusCode,
      code,
    );
  }
  return new ProviderError(
    'invalid',
    withCode(`Stripe refused the request (${statusCode})`),
    PROVIDER,
    statusCode,
    code,
  );
}

/** `Retry-After` in seconds (the form Stripe would send), as milliseconds; undefined when absent or odd. */
function retryAfterMs(header: string | undefined): number | undefined {
  const seconds = header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= 3600 ? Math.round(seconds * 1000) : undefined;
}
