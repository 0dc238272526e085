import type { NestFastifyApplication } from '@nestjs/platform-fastify';

const IDLE_SWEEP_MS = 100;

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
  const server = app.getHttpServer();
  // Keep-alive connections would hold the server open until their clients leave: close each one as soon
  // as it has no request in flight (clients reconnect, to another instance).
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  let cut = false;
  const timer = setTimeout(() => {
    cut = true;
    server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
    clearTimeout(timer);
  }
  return !cut;
}
