import Stripe from 'stripe';
import { classifyStripeError } from './stripe.errors';

// Stripe's own texts, as its API answers them: the 401 and 403 echo part of the key.
const KEY_ECHO_401 = 'Invalid API Key provided: sk_live_****************QzXw';
const KEY_ECHO_403 = "The provided key 'rk_test_**********ZqYxWv' does not have the required permissions";

describe(classifyStripeError.name, () => {
  it.each([
    ['401', new Stripe.errors.StripeAuthenticationError({ message: KEY_ECHO_401, statusCode: 401 }), 'auth'],
    ['403', new Stripe.errors.StripePermissionError({ message: KEY_ECHO_403, statusCode: 403 }), 'permission'],
    ['429', new Stripe.errors.StripeRateLimitError({ message: 'PROVIDER-TEXT-429', statusCode: 429 }), 'rate_limited'],
    ['500', new Stripe.errors.StripeAPIError({ message: 'PROVIDER-TEXT-500', statusCode: 500 }), 'transient'],
    ['400', new Stripe.errors.StripeInvalidRequestError({ message: 'PROVIDER-TEXT-400', statusCode: 400 }), 'invalid'],
    ['no response', new Stripe.errors.StripeConnectionError({ message: 'PROVIDER-TEXT-socket' }), 'transient'],
  ])('a %s keeps its kind and none of Stripe’s text', (_what, error, kind) => {
    const classified = classifyStripeError(error);
    expect(classified.kind).toBe(kind);
    for (const text of ['QzXw', 'ZqYxWv', 'PROVIDER-TEXT', 'Invalid API Key provided', 'does not have the required']) {
      expect(classified.message).not.toContain(text);
    }
  });

  it('names Stripe’s error code only when it looks like one', () => {
    const coded = new Stripe.errors.StripeInvalidRequestError({
      message: 'x',
      statusCode: 400,
      code: 'parameter_unknown',
    });
    expect(classifyStripeError(coded).message).toContain('(Stripe code: parameter_unknown)');
    const odd = new Stripe.errors.StripeInvalidRequestError({
      message: 'x',
      statusCode: 400,
      code: 'sk_live_abc Invalid Key',
    });
    expect(classifyStripeError(odd).message).not.toContain('sk_live');
    expect(classifyStripeError(odd).providerCode).toBeUndefined();
  });

  it('keeps a Retry-After hint on a 429, in milliseconds', () => {
    const hinted = new Stripe.errors.StripeRateLimitError({
      message: 'x',
      statusCode: 429,
      headers: { 'retry-after': '2' },
    });
    expect(classifyStripeError(hinted)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2000 });
    const plain = new Stripe.errors.StripeRateLimitError({ message: 'x', statusCode: 429 });
    expect(classifyStripeError(plain).retryAfterMs).toBeUndefined();
  });
});
