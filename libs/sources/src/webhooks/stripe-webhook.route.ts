import { webhookRoute } from '@app/common';
import type { PolicyHandler } from '@app/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StripeWebhookReceiver, VerifiedStripeDelivery } from './stripe-webhook-receiver';

/** Stripe's events are small JSON documents; 1 MiB leaves room for the largest invoice with its lines. */
export const STRIPE_WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

const STRIPE_ROUTE = webhookRoute('stripe');

// What the signature policy verified, for the route's handler; gone with the request.
const verified = new WeakMap<FastifyRequest, VerifiedStripeDelivery>();

/**
 * The `signature` route policy of apps/ingest: the webhook route's app verifies the delivery before the
 * handler runs (a refusal answers 4xx with the reason). Only the Stripe route exists so far.
 */
export function webhookSignaturePolicy(receiver: () => StripeWebhookReceiver): PolicyHandler {
  return async (req, reply) => {
    if (req.routeOptions.url !== STRIPE_ROUTE) {
      // Unreachable while the Stripe route is the only signed one; refuse rather than serve unverified.
      await reply.code(500).send({ error: `No signature check applies to ${req.routeOptions.url}` });
      return;
    }
    const { sourceId } = req.params as { sourceId: string };
    const header = req.headers['stripe-signature'];
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = await receiver().authenticate(sourceId, typeof header === 'string' ? header : undefined, body);
    if (!result.ok) {
      await reply.code(result.status).send({ error: result.reason });
      return;
    }
    verified.set(req, result.delivery);
  };
}

/**
 * `POST /webhooks/stripe/<sourceId>`: the raw body (the signature covers the bytes as sent, so nothing
 * parses it before the check), at most STRIPE_WEBHOOK_BODY_LIMIT_BYTES (413 beyond). 200 once the event
 * is recorded and its workflow started, or when it was a duplicate.
 */
export function registerStripeWebhookRoute(fastify: FastifyInstance, receiver: () => StripeWebhookReceiver): void {
  void fastify.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: STRIPE_WEBHOOK_BODY_LIMIT_BYTES },
      (_req, body, parsed) => parsed(null, body),
    );
    scope.post(
      STRIPE_ROUTE,
      { config: { auth: 'signature' }, bodyLimit: STRIPE_WEBHOOK_BODY_LIMIT_BYTES },
      async (req, reply) => {
        const delivery = verified.get(req);
        if (!delivery) {
          return reply.code(500).send({ error: 'The delivery was not verified' });
        }
        const answer = await receiver().accept(delivery);
        return answer.ok
          ? reply.code(200).send({ received: true, duplicate: answer.duplicate })
          : reply.code(answer.status).send({ error: answer.reason });
      },
    );
    done();
  });
}
