// The bench's server processes: started with ts-node, ready when they answer, stopped with the bench;
// their resident memory read from /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BenchContext, mb, sleep } from '../lib/harness';

const REPO_ROOT = resolve(__dirname, '..', '..');

export async function startChild(
  ctx: BenchContext,
  name: string,
  args: string[],
  env: Record<string, string>,
  knownUrl?: string,
): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_INGEST_CPU_PROFILE=<dir>: V8 CPU profiles of both servers (open in Chrome DevTools) to see where
  // a figure goes; off by default, since profiling slows what it measures.
  const profile = process.env.BENCH_INGEST_CPU_PROFILE;
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...flags, '-r', 'ts-node/register', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ctx.defer(`stop ${name}`, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const found = knownUrl ?? /listening on (http:\/\/[\d.:]+)/.exec(out)?.[1];
    const ready = knownUrl
      ? await fetch(`${knownUrl}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      : found !== undefined;
    if (found && ready) {
      return { child, url: found };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${name} did not start: ${out}`);
    }
    await sleep(200);
  }
}

export function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return mb(kb * 1024);
}

export function sampleRss(child: ChildProcess): { stop: () => number } {
  let max = rssMb(child);
  const timer = setInterval(() => (max = Math.max(max, rssMb(child))), 250);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(max, rssMb(child));
    },
  };
}
