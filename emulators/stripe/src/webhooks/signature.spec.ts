// The emulator's signature must be exactly Stripe's: the official client's verifier is the judge.
import Stripe from 'stripe';
import { signatureHeader } from './signature';

const stripe = new Stripe('sk_test_tributary');
const SECRET = 'whsec_test0123456789';
const T = 1_768_478_400;
const BODY = JSON.stringify({ id: 'evt_1', object: 'event', type: 'customer.updated' }, null, 2);

describe('signatureHeader', () => {
  const verify = (body: string, header: string, secret = SECRET) =>
    stripe.webhooks.constructEvent(body, header, secret, 300, undefined, T * 1000); // receivedAt is in ms

  it('is accepted by stripe.webhooks.constructEvent', () => {
    expect(verify(BODY, signatureHeader(BODY, T, [SECRET]))).toMatchObject({ id: 'evt_1', type: 'customer.updated' });
  });

  it('is refused for a tampered body, another secret, or a stale timestamp', () => {
    const header = signatureHeader(BODY, T, [SECRET]);
    expect(() => verify(BODY.replace('evt_1', 'evt_2'), header)).toThrow(/signature/i);
    expect(() => verify(BODY, header, 'whsec_other')).toThrow(/signature/i);
    expect(() => verify(BODY, signatureHeader(BODY, T - 301, [SECRET]))).toThrow(/tolerance/i);
  });

  it('carries one v1 per secret during a rotation, each accepted', () => {
    const header = signatureHeader(BODY, T, [SECRET, 'whsec_next']);
    expect(header).toMatch(/^t=1768478400,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verify(BODY, header, 'whsec_next').id).toBe('evt_1');
    expect(verify(BODY, header, SECRET).id).toBe('evt_1');
  });
});
