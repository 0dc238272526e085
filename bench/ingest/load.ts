// A closed-loop HTTP load: `concurrency` clients on keep-alive connections, each sending its next request
// as soon as the previous answer arrived, for a duration or a number of requests.
import { readFileSync, readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { round2 } from '../lib/harness';

export interface LoadOptions {
  url: string;
  path: string;
  headers: Record<string, string>;
  /** The body of request `n` (n counts from 0 across all clients). */
  body: (n: number) => string;
  concurrency: number;
  durationMs?: number;
  total?: number;
  /** The server's process: its CPU time per answered request is measured too. */
  serverPid?: number;
  /** The PostgreSQL server's postmaster: the CPU of it and its backends per answered request too. */
  postgresPid?: number;
}

export interface LoadResult {
  requests: number;
  /** Answers other than 200 (or failures): the bench fails a case that has any. */
  errors: number;
  firstError?: string;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * The server process's CPU time (user + system) per answered request: unlike requests/s, it hardly moves
   * with what else the machine runs, so it shows where a ratio comes from on a busy machine.
   */
  serverCpuMsPerRequest?: number;
  /** The same for PostgreSQL (postmaster and its backends): the other half of where a request's CPU goes. */
  postgresCpuMsPerRequest?: number;
  /** The load generator's own CPU (this bench process) per answered request: it shares the machine's cores. */
  loadCpuMsPerRequest: number;
}

/** What one run measured, before it is summarised (runs can be merged: see runInterleaved). */
interface RawLoad {
  latencies: number[];
  errors: number;
  firstError?: string;
  seconds: number;
  serverCpuMs?: number;
  postgresCpuMs?: number;
  loadCpuMs: number;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  return summarize([await measure(o)]);
}

/**
 * Two servers measured in alternating slices (A B B A A B …) instead of one long run each: on a shared
 * machine whose load drifts, both sides then see the same conditions, and the ratio of their sums holds
 * where two back-to-back runs can differ by more than the effect measured. `slice(k)` gives each slice's
 * options (its own message ids: a slice's body numbering starts at 0).
 */
export async function runInterleaved(
  a: (slice: number) => LoadOptions,
  b: (slice: number) => LoadOptions,
  slices: number,
): Promise<[LoadResult, LoadResult]> {
  const runs: [RawLoad[], RawLoad[]] = [[], []];
  for (let k = 0; k < slices; k++) {
    const order = k % 2 === 0 ? [0, 1] : [1, 0];
    for (const side of order) {
      runs[side].push(await measure(side === 0 ? a(k) : b(k)));
    }
  }
  return [summarize(runs[0]), summarize(runs[1])];
}

async function measure(o: LoadOptions): Promise<RawLoad> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const target = new URL(o.url);
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpuBefore = o.serverPid === undefined ? 0 : cpuMs(o.serverPid);
  const pgBefore = o.postgresPid === undefined ? new Map<number, number>() : treeCpu(o.postgresPid);
  const loadBefore = process.cpuUsage();
  const started = performance.now();
  const more = (): boolean =>
    o.total !== undefined ? sent < o.total : performance.now() - started < (o.durationMs ?? 0);
  const client = async (): Promise<void> => {
    while (more()) {
      const payload = o.body(sent++);
      const t0 = performance.now();
      const { status, text } = await post(agent, target, o.path, o.headers, payload).catch((e: unknown) => ({
        status: 0,
        text: String(e),
      }));
      if (status === 200) {
        latencies.push(performance.now() - t0);
      } else {
        errors++;
        firstError ??= `${status} ${text.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  const load = process.cpuUsage(loadBefore);
  agent.destroy();
  return {
    latencies,
    loadCpuMs: (load.user + load.system) / 1000,
    errors,
    ...(firstError ? { firstError } : {}),
    seconds,
    ...(o.serverPid === undefined ? {} : { serverCpuMs: cpuMs(o.serverPid) - cpuBefore }),
    ...(o.postgresPid === undefined ? {} : { postgresCpuMs: treeCpuSince(o.postgresPid, pgBefore) }),
  };
}

function summarize(runs: RawLoad[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((x, y) => x - y);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const errors = runs.reduce((sum, r) => sum + r.errors, 0);
  const firstError = runs.find((r) => r.firstError)?.firstError;
  const at = (q: number): number =>
    round2(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  const perRequest = (key: 'serverCpuMs' | 'postgresCpuMs' | 'loadCpuMs'): number | undefined =>
    runs[0]?.[key] === undefined
      ? undefined
      : round2(runs.reduce((sum, r) => sum + (r[key] ?? 0), 0) / Math.max(1, latencies.length));
  const server = perRequest('serverCpuMs');
  const postgres = perRequest('postgresCpuMs');
  return {
    requests: latencies.length,
    errors,
    ...(firstError ? { firstError } : {}),
    seconds: round2(seconds),
    requestsPerSecond: round2(latencies.length / seconds),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    ...(server === undefined ? {} : { serverCpuMsPerRequest: server }),
    ...(postgres === undefined ? {} : { postgresCpuMsPerRequest: postgres }),
    loadCpuMsPerRequest: perRequest('loadCpuMs') ?? 0,
  };
}

/** User + system CPU time of a process so far, from /proc (clock ticks of 10 ms on Linux). */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
  return fields ? (Number(fields[11]) + Number(fields[12])) * 10 : 0;
}

/** CPU so far of a process and each of its children (the postmaster's backends), by pid. */
function treeCpu(pid: number): Map<number, number> {
  const children = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && statFields(Number(p))?.[1] === String(pid));
  return new Map([pid, ...children.map(Number)].map((p) => [p, cpuMs(p)]));
}

/**
 * The CPU a process tree spent since `before`: per pid, so that a backend exiting meanwhile takes away only
 * its own time since then, not what it had spent before (a sum of totals went negative when one did).
 */
function treeCpuSince(pid: number, before: Map<number, number>): number {
  let spent = 0;
  for (const [p, ms] of treeCpu(pid)) {
    spent += ms - (before.get(p) ?? 0);
  }
  return spent;
}

/** /proc/<pid>/stat from field 3 on; undefined once the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  } catch {
    return undefined;
  }
}

function post(
  agent: Agent,
  target: URL,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolveFn, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolveFn({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A case with any failed request is not a figure: the bench stops with the first failure. */
export function failOnErrors(...runs: LoadResult[]): void {
  const bad = runs.find((r) => r.errors > 0);
  if (bad) {
    throw new Error(`${bad.errors} requests failed; first: ${bad.firstError}`);
  }
}
