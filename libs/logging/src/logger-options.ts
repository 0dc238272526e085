import type { AppConfig } from '@app/config';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Header and body paths that may carry secrets; belt and braces, since serializers drop headers anyway. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  '*.secret',
  '*.secretKey',
  '*.accessToken',
  '*.password',
  '*.writeKey',
  '*.token',
];

// Query parameters a client may put a key in (RudderStack's `/sourceConfig?writeKey=`); event POSTs take
// keys in headers or the body.
const SECRET_QUERY_PARAMS = /([?&](?:writekey|write_key|apikey|api_key|key|token)=)[^&#]*/gi;
// Path segments that are keys: analytics-next's settings fetch, `/v1/projects/<writeKey>/settings`.
const SECRET_PATH_SEGMENTS = /(\/projects\/)[^/?#]+/gi;

/** The URL as logged: values of key-like query parameters and key path segments replaced. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_QUERY_PARAMS, '$1[redacted]').replace(SECRET_PATH_SEGMENTS, '$1[redacted]');
}

/** Errors are logged by name, message, code and stack only: driver errors carry SQL parameters. */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) {
    return { message: String(err) };
  }
  const code = (err as { code?: unknown }).code;
  return { type: err.name, message: err.message, ...(code !== undefined ? { code } : {}), stack: err.stack };
}

/** The api's one pino logger: JSON lines, no headers, no secrets. Fastify logs requests with it. */
export function createRootLogger(config: AppConfig, destination?: DestinationStream): Logger {
  const options = {
    level: config.log.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: redactUrl(req.url) }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: serializeError,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * nestjs-pino reuses Fastify's request logger (`useExisting`), so Nest log lines written while handling a
 * request carry the same `requestId` as Fastify's request lines.
 */
export function loggerModuleParams(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true };
}
