// Runs one bench with a hard time limit and undoes everything it started (servers, children, temp
// folders), whether it succeeded, failed, timed out or was interrupted.
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** What a bench sees: progress on stderr, and a place to register its cleanup as it goes. */
export interface BenchContext {
  log: (line: string) => void;
  /** Names the current step: logged, and quoted should the time limit strike. */
  step: (what: string) => void;
  /** Registers an undo step; they run newest first. */
  defer: (what: string, undo: () => unknown) => void;
}

export interface Bench<T extends object = object> {
  name: string;
  description: string;
  timeLimitMs: number;
  run(ctx: BenchContext): Promise<T>;
}

/** Each undo step may take this long; a stuck one is reported and skipped. */
const UNDO_STEP_LIMIT_MS = 45_000;

export async function runBench<T extends object>(bench: Bench<T>): Promise<T> {
  const log = (line: string): void => void process.stderr.write(`[bench ${bench.name}] ${line}\n`);
  const undo: Array<{ what: string; fn: () => unknown }> = [];
  let current = 'starting';
  // Once cleanup began (time limit, failure, signal), a bench still running in the background must not
  // start anything new: its next step throws, and whatever it registers is undone at once.
  let closed = false;
  const ctx: BenchContext = {
    log,
    step: (what) => {
      if (closed) {
        throw new Error(`${bench.name} was stopped before "${what}"`);
      }
      current = what;
      log(`${what}…`);
    },
    defer: (what, fn) => {
      undo.push({ what, fn });
      if (closed) {
        void cleanUp();
      }
    },
  };
  const cleanUp = async (): Promise<void> => {
    closed = true;
    for (let step = undo.pop(); step; step = undo.pop()) {
      const { what, fn } = step;
      await withinLimit(Promise.resolve().then(fn), UNDO_STEP_LIMIT_MS, `cleanup step "${what}"`).catch(
        (error: unknown) => log(`cleanup: ${what} failed: ${messageOf(error)}`),
      );
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping everything this bench started`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = Date.now();
  const running = bench.run(ctx);
  running.catch(() => undefined); // after a timeout its late failure is expected, not "unhandled"
  try {
    return await withinLimit(running, bench.timeLimitMs, () => `${bench.name} while ${current}`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanUp();
    log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s (cleanup included)`);
  }
}

function withinLimit<T>(work: Promise<T>, limitMs: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const name = typeof what === 'string' ? what : what();
      reject(new Error(`time limit: ${name} did not finish within ${limitMs / 1000} s`));
    }, limitMs);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Bytes → MiB, 2 decimals. */
export function mb(bytes: number): number {
  return round2(bytes / 1024 / 1024);
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveFn) => setTimeout(resolveFn, ms));
}

/** An integer setting from 1 to 100,000 (a bench's size), `fallback` when unset. */
export function positiveFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value < 1 || value > 100_000) {
    throw new Error(`${name} must be an integer from 1 to 100000, got '${raw}'`);
  }
  return value;
}

/** The machine a bench ran on, as every result records it (the load average tells how shared it was). */
export interface MachineFacts {
  cores: number;
  cpu: string;
  memoryGb: number;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
}

/** The machine's facts now, with the load average read when the bench started. */
export function machineFacts(loadAverageAtStart: number[]): MachineFacts {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: round2(totalmem() / 1024 ** 3),
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map(round2),
  };
}

/** What every bench case states: its figure, which way is better, its target and whether it meets it. */
export interface RatioCase {
  name: string;
  higherIsBetter: boolean;
  ratioDefinition: string;
  ratio: number;
  target: number;
  meets: boolean;
}
