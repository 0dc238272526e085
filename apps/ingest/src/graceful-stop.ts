import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Resolves with the first SIGTERM or SIGINT; a second one gets Node's default (immediate exit). */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const signals = ['SIGTERM', 'SIGINT'] as const;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals.forEach((name) => process.removeListener(name, onSignal));
      resolve(signal);
    };
    signals.forEach((name) => process.once(name, onSignal));
  });
}

/**
 * Stops accepting connections, lets in-flight requests finish, then closes the Temporal connection and
 * the database pool (Nest closes the HTTP server before its shutdown hooks). Connections still busy after
 * `graceMs` are cut; returns false then.
 */
export async function closeGracefully(app: NestFastifyApplication, graceMs: number): Promise<boolean> {
  let cut = false;
  const timer = setTimeout(() => {
    cut = true;
    app.getHttpServer().closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
  return !cut;
}
