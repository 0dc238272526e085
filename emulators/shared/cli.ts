// What every emulator's `main.ts` needs to run as a command: its environment read strictly (a bad value
// stops it with the variable's name rather than a guess) and a clean stop on signals.

/** The emulator's own view of its environment and process; `name` prefixes its messages. */
export interface EmulatorCli {
  /** A comma-separated list, or undefined when unset or empty. */
  list(variable: string): string[] | undefined;
  /** An integer within [min, max]; the fallback when unset or empty. */
  integer(variable: string, fallback: number, min: number, max: number): number;
  /** `on` or `off` (the fallback when unset). */
  onOff(variable: string, fallback: 'on' | 'off'): 'on' | 'off';
  /** Prints the reason and exits with status 2. */
  fail(message: string): never;
  /**
   * Stops on SIGINT/SIGTERM/SIGHUP, and when our parent dies: `npm run` starts us under `sh -c`, which
   * may die on SIGTERM without passing it on (scripts/lib/stop-signals.ts has the same guard).
   */
  stopOnSignals(emulator: { close(): Promise<void> }): void;
}

export function emulatorCli(name: string): EmulatorCli {
  const fail = (message: string): never => {
    process.stderr.write(`${name} emulator: ${message}\n`);
    process.exit(2);
  };
  const integer = (variable: string, fallback: number, min: number, max: number): number => {
    const raw = process.env[variable];
    if (raw === undefined || raw === '') {
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      fail(`${variable} must be an integer from ${min} to ${max}, got '${raw}'`);
    }
    return value;
  };
  return {
    list: (variable) => {
      const items = (process.env[variable] ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      return items.length > 0 ? items : undefined;
    },
    integer,
    onOff: (variable, fallback) => {
      const value = process.env[variable] ?? fallback;
      return value === 'on' || value === 'off' ? value : fail(`${variable} must be on or off, got '${value}'`);
    },
    fail,
    stopOnSignals: (emulator) => stopOnSignals(name, emulator),
  };
}

function stopOnSignals(name: string, emulator: { close(): Promise<void> }): void {
  const parent = process.ppid;
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write(`${name} emulator stopping (${reason})\n`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).forEach((signal) => process.on(signal, () => stop(signal)));
  setInterval(() => process.ppid !== parent && stop('parent process exited'), 500).unref();
}
