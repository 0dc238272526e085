import type { PolicyHandler } from '@app/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WEBHOOK_APPS } from './webhook-apps';
import type { VerifiedDelivery, WebhookReceiver } from './webhook-receiver';

// What the signature policy verified, for the route's handler; gone with the request.
const verified = new WeakMap<FastifyRequest, VerifiedDelivery>();

/**
 * The `signature` route policy of apps/ingest: the webhook route's app verifies the delivery before the
 * handler runs (a refusal answers 4xx with the reason).
 */
export function webhookSignaturePolicy(receiver: () => WebhookReceiver): PolicyHandler {
  return async (req, reply) => {
    const app = WEBHOOK_APPS.find((a) => a.route === req.routeOptions.url);
    if (!app) {
      // Only webhook routes name this policy; refuse rather than serve a route unverified.
      await reply.code(500).send({ error: `No signature check applies to ${req.routeOptions.url}` });
      return;
    }
    const { sourceId } = req.params as { sourceId: string };
    const result = await receiver().authenticate(app.key, sourceId, {
      method: req.method,
      pathAndQuery: req.url,
      header: (name: string) => {
        const value = req.headers[name.toLowerCase()];
        return typeof value === 'string' ? value : undefined;
      },
      body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    });
    if (!result.ok) {
      await reply.code(result.status).send({ error: result.reason });
      return;
    }
    verified.set(req, result.delivery);
  };
}

/**
 * `POST /webhooks/<app>/<sourceId>` for every app with webhooks: the raw body (the signature covers the bytes
 * as sent, so nothing parses it before the check), at most the app's limit (413 beyond). 200 once the events
 * are recorded and their workflows started, or when they were duplicates.
 */
export function registerWebhookRoutes(fastify: FastifyInstance, receiver: () => WebhookReceiver): void {
  for (const app of WEBHOOK_APPS) {
    const bodyLimit = app.webhooks.bodyLimitBytes;
    void fastify.register((scope, _options, done) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, parsed) => parsed(null, body));
      scope.post(app.route, { config: { auth: 'signature' }, bodyLimit }, async (req, reply) => {
        const delivery = verified.get(req);
        if (!delivery) {
          return reply.code(500).send({ error: 'The delivery was not verified' });
        }
        const answer = await receiver().accept(delivery);
        return answer.ok
          ? reply.code(200).send({ received: true, duplicate: answer.duplicate })
          : reply.code(answer.status).send({ error: answer.reason });
      });
      done();
    });
  }
}
