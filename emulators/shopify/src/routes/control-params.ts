// Parameters of the control routes: each parser validates a JSON body and throws RangeError with the reason.
import type { BulkErrorCode, BulkFault, BulkTiming } from '../bulk';
import type { BucketLimits } from '../cost';
import { isResource, RESOURCES, type Resource } from '../records';
import type { WebhookConfig } from '../webhooks';
import { count, only } from '../../../shared/control';

// The checks every emulator's control bodies share, re-exported for this emulator's routes.
export { count, only };

export function optionalMs(value: unknown, name: string): number | undefined {
  return value === undefined ? undefined : count(value, `${name} (epoch milliseconds)`);
}

/** `{maximumAvailable?, restoreRate?}` over the current limits, or `{throttling: false}` to turn throttling off. */
export function parseBucketLimits(body: unknown, current: BucketLimits | false): BucketLimits | false {
  const input = only(body, ['maximumAvailable', 'restoreRate', 'throttling']);
  if (input.throttling === false) {
    return false;
  }
  const base = current === false ? { maximumAvailable: 2000, restoreRate: 100 } : current;
  const limits = {
    maximumAvailable:
      input.maximumAvailable === undefined ? base.maximumAvailable : count(input.maximumAvailable, 'maximumAvailable'),
    restoreRate: input.restoreRate === undefined ? base.restoreRate : count(input.restoreRate, 'restoreRate'),
  };
  if (limits.maximumAvailable < 1 || limits.restoreRate < 1) {
    throw new RangeError('maximumAvailable and restoreRate must be positive (use throttling: false for none)');
  }
  return limits;
}

export function parseBulkTiming(body: unknown, current: BulkTiming): BulkTiming {
  const input = only(body, ['startDelayMs', 'durationMs']);
  return {
    startDelayMs: input.startDelayMs === undefined ? current.startDelayMs : count(input.startDelayMs, 'startDelayMs'),
    durationMs: input.durationMs === undefined ? current.durationMs : count(input.durationMs, 'durationMs'),
  };
}

const BULK_ERRORS: BulkErrorCode[] = ['INTERNAL_SERVER_ERROR', 'TIMEOUT', 'ACCESS_DENIED'];

/** `{errorCode?, afterObjects?, count?}`: the next `count` bulk jobs fail after writing `afterObjects` lines. */
export function parseBulkFault(body: unknown): { fault: BulkFault; count: number } {
  const input = only(body, ['errorCode', 'afterObjects', 'count']);
  const errorCode = (input.errorCode ?? 'INTERNAL_SERVER_ERROR') as BulkErrorCode;
  if (!BULK_ERRORS.includes(errorCode)) {
    throw new RangeError(`errorCode must be one of ${BULK_ERRORS.join(', ')}`);
  }
  const times = input.count === undefined ? 1 : count(input.count, 'count');
  if (times < 1) {
    throw new RangeError('count must be at least 1');
  }
  return {
    fault: {
      errorCode,
      afterObjects: input.afterObjects === undefined ? 0 : count(input.afterObjects, 'afterObjects'),
    },
    count: times,
  };
}

export function parseWebhookConfig(body: unknown, current: WebhookConfig): WebhookConfig {
  const input = only(body, ['secret', 'retries', 'backoffMs', 'duplicate']);
  if (input.secret !== undefined && (typeof input.secret !== 'string' || input.secret === '')) {
    throw new RangeError('secret must be a non-empty string');
  }
  if (input.duplicate !== undefined && typeof input.duplicate !== 'boolean') {
    throw new RangeError('duplicate must be true or false');
  }
  return {
    secret: input.secret ?? current.secret,
    retries: input.retries === undefined ? current.retries : count(input.retries, 'retries'),
    backoffMs: input.backoffMs === undefined ? current.backoffMs : count(input.backoffMs, 'backoffMs'),
    duplicate: input.duplicate ?? current.duplicate,
  };
}

export function resourceOf(name: string): Resource {
  if (!isResource(name)) {
    throw new RangeError(`resource must be one of ${RESOURCES.join(', ')}`);
  }
  return name;
}
