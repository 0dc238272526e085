import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs an app entry from source (ts-node, as `npm run cli` does) with exactly the given environment. */
export function runEntry(entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

export const exitCode = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

/** Resolves once `text` appears in the output; fails with the output so far after the timeout. */
export async function waitFor(output: () => string, text: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!output().includes(text)) {
    if (Date.now() - start > timeoutMs) {
      throw new Error(`"${text}" did not appear; output so far:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
