// `/_emulator/webhooks`: how deliveries misbehave and retry, and the record of every delivery attempt.
import type { FastifyInstance } from 'fastify';
import { CONTROL_PREFIX, sendJson } from '../http';
import type { EmulatorState } from '../state';
import type { WebhookDelivery } from '../webhooks/delivery';

type Body = Record<string, unknown>;

const FLAGS = ['duplicate', 'outOfOrder'] as const;
const COUNTS = ['retries', 'backoffMs'] as const;

export function registerWebhookControl(app: FastifyInstance, state: EmulatorState): void {
  const delivery = state.webhooks.delivery;
  const path = `${CONTROL_PREFIX}/webhooks`;
  app.get(path, (_request, reply) => sendJson(reply, 200, settings(delivery)));
  // Only the fields given change; `secondSecret: null` stops the second signature.
  app.post<{ Body: Body | undefined }>(path, (request, reply) => {
    const body = request.body ?? {};
    const unknown = Object.keys(body).filter((key) => ![...FLAGS, ...COUNTS, 'secondSecret'].includes(key));
    if (unknown.length > 0) {
      throw new RangeError(`unknown field ${unknown.join(', ')}`);
    }
    const options = { ...delivery.options };
    const retry = { ...delivery.retry };
    for (const flag of FLAGS.filter((name) => body[name] !== undefined)) {
      if (typeof body[flag] !== 'boolean') {
        throw new RangeError(`${flag} must be a boolean`);
      }
      options[flag] = body[flag];
    }
    for (const count of COUNTS.filter((name) => body[name] !== undefined)) {
      if (!Number.isSafeInteger(body[count]) || (body[count] as number) < 0 || (body[count] as number) > 60_000) {
        throw new RangeError(`${count} must be an integer from 0 to 60000`);
      }
      retry[count] = body[count] as number;
    }
    if (body.secondSecret !== undefined) {
      if (body.secondSecret !== null && (typeof body.secondSecret !== 'string' || body.secondSecret === '')) {
        throw new RangeError('secondSecret must be a non-empty string, or null');
      }
      options.secondSecret = body.secondSecret ?? undefined;
    }
    delivery.options = options;
    delivery.retry = retry;
    return sendJson(reply, 200, settings(delivery));
  });
  app.get(`${path}/deliveries`, (_request, reply) => sendJson(reply, 200, { data: delivery.attempts }));
}

function settings(delivery: WebhookDelivery): Body {
  const { duplicate, outOfOrder, secondSecret } = delivery.options;
  return { duplicate, outOfOrder, secondSecret: secondSecret ?? null, ...delivery.retry };
}
