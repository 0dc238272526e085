import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { OutputLog } from './output-log';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (e.g. not found). */
  error?: Error;
}

export interface GroupOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where each line of output goes (an OutputLog, or anything that hands out a line callback per name). */
  output: Pick<OutputLog, 'for'>;
  /** Keep stdout as text (not logged), for commands that answer on stdout, e.g. `--json`. */
  captureStdout?: boolean;
}

const KILL_WAIT_MS = 3_000;

/**
 * A child started as the leader of its own process group (`detached`), so stopping it also stops
 * everything it spawned: npm → nest → node, or a watcher's restarted app.
 */
export class ProcessGroup {
  readonly exited: Promise<ExitInfo>;
  private status?: ExitInfo;
  private captured = '';
  private stopCalled = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    options: GroupOptions,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve((this.status = { code, signal })));
      child.on('error', (error) => resolve((this.status ??= { code: null, signal: null, error })));
    });
    this.pipeOutput(options);
  }

  static start(name: string, command: string, args: string[], options: GroupOptions): ProcessGroup {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ProcessGroup(name, child, options);
  }

  // Methods rather than getters: ts-node's swc transpiler targets ES3 with this tsconfig and rejects them.

  /** What stdout said, when started with captureStdout. */
  stdoutText(): string {
    return this.captured;
  }

  /** The leader's exit, once it happened. */
  exitStatus(): ExitInfo | undefined {
    return this.status;
  }

  /** True once stop() was called: its exit is then expected. */
  stopRequested(): boolean {
    return this.stopCalled;
  }

  /** Sends `signal` to the whole group at once, synchronously (for 'exit' handlers); no-op once it exited. */
  signal(signal: NodeJS.Signals): void {
    if (this.child.pid !== undefined && !this.status) {
      signalGroup(this.child.pid, signal);
    }
  }

  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when no member is left. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopCalled = true;
    const pgid = this.child.pid;
    if (pgid === undefined || groupMembers(pgid).length === 0) {
      return;
    }
    const signalled = new Set(groupMembers(pgid));
    signalGroup(pgid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      const members = groupMembers(pgid);
      if (members.length === 0) {
        return;
      }
      // A member that appeared after the group signal (an app a watcher was just starting) gets its own
      // SIGTERM; members that already had one are left to finish their graceful shutdown.
      for (const pid of members.filter((member) => !signalled.has(member))) {
        signalled.add(pid);
        signalPid(pid, 'SIGTERM');
      }
      await sleep(100);
    }
    signalGroup(pgid, 'SIGKILL');
    await waitForGroupExit(pgid, KILL_WAIT_MS);
  }

  private pipeOutput(options: GroupOptions): void {
    const log = options.output.for(this.name);
    if (options.captureStdout) {
      this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.captured += chunk));
    } else if (this.child.stdout) {
      createInterface({ input: this.child.stdout }).on('line', log);
    }
    if (this.child.stderr) {
      createInterface({ input: this.child.stderr }).on('line', log);
    }
  }
}

/** Human wording of an exit, for error messages. */
export function describeExit(info: ExitInfo): string {
  if (info.error) {
    return `could not start (${info.error.message})`;
  }
  return info.signal ? `was killed by ${info.signal}` : `exited with code ${String(info.code)}`;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  signalPid(-pgid, signal);
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: it ended in the meantime.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (groupMembers(pgid).length === 0) {
      return true;
    }
    await sleep(100);
  }
  return groupMembers(pgid).length === 0;
}

/**
 * The live processes of a group. Reads /proc so that zombies do not count: on this kind of machine PID 1
 * reaps orphans only every few seconds, and kill(-pgid, 0) succeeds on zombies. Without /proc the
 * group itself (-pgid) stands for its members.
 */
export function groupMembers(pgid: number): number[] {
  if (!existsSync('/proc/self/stat')) {
    return killZeroSucceeds(-pgid) ? [-pgid] : [];
  }
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && liveMemberOf(entry, pgid))
    .map(Number);
}

function liveMemberOf(pid: string, pgid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state ppid pgrp …
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(pgrp) === pgid && state !== 'Z' && state !== 'X';
  } catch {
    return false; // the process ended while we were looking
  }
}

function killZeroSucceeds(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
