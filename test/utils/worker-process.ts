import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AppConfig } from '@app/config';

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves once the worker logged that it serves its queues (it bundles workflows first). */
  ready(timeoutMs?: number): Promise<void>;
}

/** The real worker entry (apps/worker/src/main.ts) as its own OS process, so a test can kill -9 it. */
export function spawnWorker(config: AppConfig, env: Record<string, string>): WorkerProcess {
  const keys = [...config.encryption.keys].map(([id, key]) => `${id}:${key.toString('base64')}`).join(',');
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'apps/worker/src/main.ts'], {
    cwd: join(__dirname, '..', '..'),
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: config.database.url,
      TEMPORAL_ADDRESS: config.temporal.address,
      ENCRYPTION_KEYS: keys,
      ENCRYPTION_ACTIVE_KEY: config.encryption.activeKeyId,
      LOG_LEVEL: 'info',
      SYNC_FULL_REFRESH_MINUTES: String(config.sync.fullRefreshIntervalMs / 60_000),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = async (timeoutMs = 60_000): Promise<void> => {
    const start = Date.now();
    while (!out.includes('worker ready')) {
      if (Date.now() - start > timeoutMs || child.exitCode !== null) {
        throw new Error(`worker did not become ready; output:\n${out.slice(-4000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, output: () => out, exited, ready };
}
