import type { RateVerdict } from './rate-gate';

/**
 * The 429 for a request over its source's limit: `Retry-After` (seconds until a request of this size
 * fits) and the IETF RateLimit fields (limit = the burst; remaining events; seconds until the bucket is
 * full again). Browsers may read them: CORS exposes them.
 */
export function rateLimitedAnswer(verdict: RateVerdict): {
  headers: Record<string, string>;
  body: Record<string, unknown>;
} {
  return {
    headers: {
      'retry-after': String(verdict.retryAfterSeconds),
      'ratelimit-limit': String(verdict.limit),
      'ratelimit-remaining': String(verdict.remaining),
      'ratelimit-reset': String(verdict.resetSeconds),
      'access-control-expose-headers': 'retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset',
    },
    body: {
      success: false,
      code: 'rate_limited',
      error: `Over the source’s rate limit (burst ${verdict.limit}): retry after ${verdict.retryAfterSeconds}s, or raise rateLimit in the source’s settings`,
    },
  };
}
