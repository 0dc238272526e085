// The filters of `GET /v1/events`: `type` (one type, or a group with `*`, e.g. `customer.*`) or `types`
// (an array of up to 20 exact types, either array spelling), not both.
import { invalidRequest } from '../errors';
import { arrayParam, type QueryParams, stringParam } from '../query';
import type { StripeEvent } from './event';

export const EVENT_FILTERS = ['type', 'types[]', 'delivery_success'];

export function eventMatcher(query: QueryParams): (entry: { event: StripeEvent }) => boolean {
  const type = stringParam(query, 'type');
  const types = arrayParam(query, 'types');
  // delivery_success filters on webhook deliveries; with none emulated, it is accepted and has no effect.
  stringParam(query, 'delivery_success');
  if (type !== undefined && types !== undefined) {
    // The wording is a guess; Stripe documents only that the two exclude each other.
    throw invalidRequest('You may pass either type or types, but not both.', { param: 'types' });
  }
  if (types !== undefined && types.length > 20) {
    throw invalidRequest('types may contain at most 20 event types.', { param: 'types' }); // wording is a guess
  }
  if (types !== undefined) {
    return ({ event }) => types.includes(event.type);
  }
  if (type === undefined) {
    return () => true;
  }
  const pattern = new RegExp(`^${type.split('*').map(escape).join('[^]*')}$`);
  return ({ event }) => pattern.test(event.type);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
