import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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

/** Runs apps/ingest/src/main.ts as its own OS process (as deployed) on `port`; resolves once it is ready. */
export async function startIngestProcess(port: number): Promise<IngestProcess> {
  const { child, output } = runEntry('apps/ingest/src/main.ts', {
    ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_ACTIVE_KEY: 'v1',
    LOG_LEVEL: 'warn',
    INGEST_PORT: String(port),
    DATABASE_URL: requiredEnv('TEST_DATABASE_URL'),
    TEMPORAL_ADDRESS: requiredEnv('TEST_TEMPORAL_ADDRESS'),
  });
  const url = `http://127.0.0.1:${port}`;
  const gone = exitCode(child);
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await gone;
    }
  };
  const process = { child, url, output, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
  // ts-node compiles the app first, which takes a while on a shared machine.
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
      return process;
    }
    if (Date.now() > deadline) {
      await process.stop();
      throw new Error(`ingest did not become ready: ${output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
