import { createHmac } from 'node:crypto';
import type { SignedRequest } from '../core/connector-definition';
import { shopifyWebhookEvents, verifyShopifySignature } from './shopify.webhooks';

const SECRET = 'shpss_0123456789abcdef0123';
const OLD_SECRET = 'shpss_old_secret_00000000';
const BODY = JSON.stringify({ id: 7412000000001, admin_graphql_api_id: 'gid://shopify/Customer/7412000000001' });

function delivery(body: string, headers: Record<string, string>): SignedRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: 'POST',
    url: 'https://in.example/webhooks/shopify/x',
    body: Buffer.from(body),
    header: (n) => lower[n],
  };
}

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64');

describe(verifyShopifySignature.name, () => {
  it('accepts the base64 HMAC-SHA256 of the raw body with any of the source’s secrets', () => {
    expect(verifyShopifySignature(delivery(BODY, { 'X-Shopify-Hmac-Sha256': hmac(SECRET, BODY) }), [SECRET])).toEqual({
      ok: true,
    });
    const old = delivery(BODY, { 'X-Shopify-Hmac-Sha256': hmac(OLD_SECRET, BODY) });
    expect(verifyShopifySignature(old, [SECRET, OLD_SECRET])).toEqual({ ok: true });
  });

  it('refuses a missing, malformed or mismatched signature, and one over other bytes, never echoing secrets', () => {
    expect(verifyShopifySignature(delivery(BODY, {}), [SECRET])).toMatchObject({ ok: false, problem: 'missing' });
    const malformed = delivery(BODY, { 'X-Shopify-Hmac-Sha256': 'not base64!' });
    expect(verifyShopifySignature(malformed, [SECRET])).toMatchObject({ ok: false, problem: 'malformed' });
    const other = delivery(BODY, { 'X-Shopify-Hmac-Sha256': hmac('shpss_someone_elses_secret', BODY) });
    const refused = verifyShopifySignature(other, [SECRET]);
    expect(refused).toMatchObject({ ok: false, problem: 'mismatch' });
    expect(JSON.stringify(refused)).not.toContain(SECRET);
    const tampered = delivery(`${BODY} `, { 'X-Shopify-Hmac-Sha256': hmac(SECRET, BODY) });
    expect(verifyShopifySignature(tampered, [SECRET])).toMatchObject({ ok: false, problem: 'mismatch' });
  });
});

describe(shopifyWebhookEvents.name, () => {
  const headers =
    (topic: string, eventId = '98880550-7158-44d4-b7cd-2c97c8a091b5') =>
    (name: string) =>
      ({ 'x-shopify-topic': topic, 'x-shopify-event-id': eventId })[name];

  it('names the event by X-Shopify-Event-Id and the change by the record’s GID', () => {
    expect(shopifyWebhookEvents(Buffer.from(BODY), headers('customers/update'))).toEqual([
      { eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5', changeId: 'gid://shopify/Customer/7412000000001' },
    ]);
    // A delete's body holds only the numeric id.
    expect(shopifyWebhookEvents(Buffer.from('{"id":5500000000002}'), headers('orders/delete', 'e-1'))).toEqual([
      { eventId: 'e-1', changeId: 'gid://shopify/Order/5500000000002' },
    ]);
  });

  it('acknowledges topics of objects it does not sync with no change', () => {
    expect(shopifyWebhookEvents(Buffer.from('{}'), headers('bulk_operations/finish', 'e-2'))).toEqual([
      { eventId: 'e-2', changeId: null },
    ]);
  });

  it('says what is wrong with a delivery it cannot read', () => {
    const noEvent = (name: string) => ({ 'x-shopify-topic': 'customers/update' })[name];
    expect(shopifyWebhookEvents(Buffer.from(BODY), noEvent)).toEqual({
      problem: expect.stringMatching(/X-Shopify-Event-Id/),
    });
    expect(shopifyWebhookEvents(Buffer.from('not json'), headers('customers/create'))).toEqual({
      problem: 'The body of a customers/create delivery must be JSON',
    });
    expect(shopifyWebhookEvents(Buffer.from('{"id":"x"}'), headers('products/update'))).toEqual({
      problem: expect.stringMatching(/numeric id/),
    });
  });
});
