import type { AppConfig } from '@app/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

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

/** Errors are logged by name, message, code and stack only: driver errors carry SQL parameters. */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) {
    return { message: String(err) };
  }
  const code = (err as { code?: unknown }).code;
  return { type: err.name, message: err.message, ...(code !== undefined ? { code } : {}), stack: err.stack };
}

/** pino-http options: one JSON line per event, a requestId on every line of a request, no secrets. */
export function loggerOptions(config: AppConfig, destination?: DestinationStream): Params {
  const options = {
    level: config.log.level,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: IncomingMessage & { id?: string }) => ({ method: req.method, url: req.url }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: serializeError,
    },
    autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
