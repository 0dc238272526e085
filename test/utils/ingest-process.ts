import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../scripts/lib/free-port';
import { exitCode, runEntry } from './app-process';
import { requiredEnv } from './database';

export interface IngestProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** kill -9, resolved once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM unless it is gone already. */
  stop(): Promise<void>;
}

/**
 * The real ingest entry (apps/ingest/src/main.ts) as its own OS process (as deployed), once it answers
 * /health/ready: on `port` (a restart reuses its port), else on a free one.
 */
export async function startIngestProcess(
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<IngestProcess> {
  const port = options.port ?? (await freePort());
  const { child, output } = runEntry('apps/ingest/src/main.ts', {
    ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_ACTIVE_KEY: 'v1',
    LOG_LEVEL: 'warn',
    INGEST_PORT: String(port),
    DATABASE_URL: requiredEnv('TEST_DATABASE_URL'),
    TEMPORAL_ADDRESS: requiredEnv('TEST_TEMPORAL_ADDRESS'),
    ...options.env,
  });
  const url = `http://127.0.0.1:${port}`;
  const gone = exitCode(child);
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await gone;
    }
  };
  const ingest = { child, url, output, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
  // ts-node compiles the app first; two at once on a shared machine take a while.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`ingest exited: ${output()}`);
    }
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) {
      return ingest;
    }
    if (Date.now() > deadline) {
      await ingest.stop();
      throw new Error(`ingest did not become ready: ${output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs `task` over `items` with at most `concurrency` at once. */
export async function pool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        await task(items[next++]);
      }
    }),
  );
}

/** Polls `read` until `done` holds for its value (or the timeout passes); returns the last value read. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) {
      return value;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
