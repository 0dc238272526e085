import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilent, Logger } from 'pino';

type LogLevel = Exclude<LevelWithSilent, 'silent'>;

/**
 * A request's logger, made into pino's child on its first call at an enabled level. Fastify builds a child
 * per request to carry the request id, and pino's child() serialises its bindings at once; most requests
 * log nothing at the configured level (a tracking call at `warn`, say), so the work is done only for those
 * that do. Log lines are the same as the child's: same bindings, same options.
 */
class LazyChildLogger implements FastifyBaseLogger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  // Methods on the prototype: one object per request, no closures.
  fatal(...args: unknown[]): void {
    this.log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.log('error', args);
  }
  warn(...args: unknown[]): void {
    this.log('warn', args);
  }
  info(...args: unknown[]): void {
    this.log('info', args);
  }
  debug(...args: unknown[]): void {
    this.log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.log('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  private log(level: LogLevel, args: unknown[]): void {
    if (this.made || this.parent.isLevelEnabled(level)) {
      const child = this.real();
      Reflect.apply(child[level], child, args);
    }
  }

  private real(): Logger {
    this.made ??= this.parent.child(this.bindings, this.options);
    return this.made;
  }
}

/**
 * Fastify's `childLoggerFactory`: lazy children, except for routes with their own level or serialisers
 * (their child must exist to apply them).
 */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  const parent = logger as Logger;
  if (options.level !== undefined || options.serializers !== undefined) {
    return parent.child(bindings, options);
  }
  return new LazyChildLogger(parent, bindings, options);
}
