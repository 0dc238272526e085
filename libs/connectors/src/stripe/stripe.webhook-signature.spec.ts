import Stripe from 'stripe';
import { verifyStripeSignature } from './stripe.webhook-signature';

// Headers are made by stripe-node's own test helper, an implementation independent of ours.
const stripe = new Stripe('sk_test_unused');
const CURRENT = 'whsec_currentcurrentcurrent0001';
const PREVIOUS = 'whsec_previouspreviousprevious01';
const BODY = Buffer.from('{\n  "id": "evt_1",\n  "object": "event"\n}', 'utf8');
const NOW = 1_790_000_000;

function header(secret: string, timestamp = NOW, payload = BODY.toString('utf8')): string {
  return stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

describe('verifyStripeSignature', () => {
  it('accepts a signature made with the current secret, on the raw bytes', () => {
    expect(verifyStripeSignature(header(CURRENT), BODY, [CURRENT], NOW)).toEqual({ ok: true });
  });

  it('accepts the previous secret during a rotation, and any of several v1 values', () => {
    expect(verifyStripeSignature(header(PREVIOUS), BODY, [CURRENT, PREVIOUS], NOW).ok).toBe(true);
    const unknown = header('whsec_someoneelsesomeoneelse01').split(',')[1];
    const both = `${header(CURRENT)},${unknown}`;
    const reversed = `t=${NOW},${unknown},${header(CURRENT).split(',')[1]}`;
    expect(verifyStripeSignature(both, BODY, [CURRENT], NOW).ok).toBe(true);
    expect(verifyStripeSignature(reversed, BODY, [CURRENT], NOW).ok).toBe(true);
  });

  it('refuses another secret, a changed body, and the previous secret once it is no longer kept', () => {
    expect(verifyStripeSignature(header(PREVIOUS), BODY, [CURRENT], NOW)).toMatchObject({ problem: 'mismatch' });
    const changed = Buffer.from(BODY.toString('utf8').replace('evt_1', 'evt_2'));
    expect(verifyStripeSignature(header(CURRENT), changed, [CURRENT], NOW)).toMatchObject({ problem: 'mismatch' });
    expect(verifyStripeSignature(header(CURRENT), BODY, [], NOW)).toMatchObject({ problem: 'mismatch' });
  });

  it('refuses a signature older than five minutes, accepting one just inside', () => {
    expect(verifyStripeSignature(header(CURRENT, NOW - 300), BODY, [CURRENT], NOW).ok).toBe(true);
    expect(verifyStripeSignature(header(CURRENT, NOW - 301), BODY, [CURRENT], NOW)).toMatchObject({
      ok: false,
      problem: 'stale',
    });
  });

  it('refuses a missing or malformed header, saying what is wrong', () => {
    expect(verifyStripeSignature(undefined, BODY, [CURRENT], NOW)).toMatchObject({ problem: 'missing' });
    for (const bad of [
      '',
      'garbage',
      `t=${NOW}`,
      'v1=' + 'a'.repeat(64),
      `t=abc,v1=${'a'.repeat(64)}`,
      `t=${NOW},v1=xyz`,
    ]) {
      expect(verifyStripeSignature(bad || undefined, BODY, [CURRENT], NOW).ok).toBe(false);
    }
    expect(verifyStripeSignature(`t=${NOW},v0=abc`, BODY, [CURRENT], NOW)).toMatchObject({ problem: 'malformed' });
  });

  it('never puts a secret or the body into its reasons', () => {
    const results = [
      verifyStripeSignature(header(PREVIOUS), BODY, [CURRENT], NOW),
      verifyStripeSignature(header(CURRENT, NOW - 1000), BODY, [CURRENT], NOW),
    ];
    for (const result of results) {
      expect(JSON.stringify(result)).not.toMatch(/whsec_|evt_1/);
    }
  });
});
