import { describeExit, type ExitInfo, type ProcessGroup } from './process-group';

/** What the starter of a backing service (Temporal, an emulator) needs from the run. */
export interface ServiceHooks {
  /** The service's own output, one line at a time (printed unless quiet, kept for failure reports). */
  log: (line: string) => void;
  /** Our messages about it (always printed). */
  say: (line: string) => void;
  /** Registers its stop with the stack (see addService); called as soon as it was spawned. */
  register: (stop: () => Promise<void>) => void;
  /** Told when it exits before the stack stops it. */
  onUnexpectedExit: (reason: string) => void;
}

/**
 * Everything one run started, stopped in a safe order: process groups first (they hold database and
 * Temporal connections), then the backing services (Temporal, Postgres, emulators; last started first),
 * then temporary files.
 */
export class Stack {
  private readonly groups: ProcessGroup[] = [];
  private readonly serviceStops: (() => Promise<void>)[] = [];
  private readonly cleanups: (() => void)[] = [];
  private stopping?: Promise<void>;
  private stopped = false;

  /**
   * Tracks a process group. With `onUnexpectedExit`, its exit before stop() is reported: long-running
   * services (api, worker) must not vanish silently.
   */
  add(group: ProcessGroup, onUnexpectedExit?: (reason: string) => void): ProcessGroup {
    if (this.stopping) {
      // Started by a step that was still running when the stop began: stop it at once.
      void group.stop();
      throw new Error(`not starting ${group.name}: stopping`);
    }
    this.groups.push(group);
    if (onUnexpectedExit) {
      void group.exited.then((info: ExitInfo) => {
        if (!this.stopping && !group.stopRequested()) {
          onUnexpectedExit(`${group.name} ${describeExit(info)}`);
        }
      });
    }
    return group;
  }

  addDatabase(stop: () => Promise<void>): void {
    this.addService(stop);
  }

  /**
   * A backing service the process groups depend on (Postgres, the Temporal dev server, an emulator):
   * stopped after them, in reverse order of registration.
   */
  addService(stop: () => Promise<void>): void {
    this.serviceStops.push(stop);
    if (this.stopped) {
      void stop(); // came up after the stop finished (a signal during start-up)
    }
  }

  /** Synchronous clean-up run last, e.g. removing a temporary folder. */
  addCleanup(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** Idempotent: later calls wait for the first one. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  // Every step runs even when an earlier one failed; the first error is rethrown at the end.
  private async stopAll(): Promise<void> {
    const errors: unknown[] = [];
    const attempt = async (step: () => unknown): Promise<void> => {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    };
    await Promise.all(this.groups.map((group) => attempt(() => group.stop())));
    // Popped one by one: a service registered while this runs (still starting up) is stopped too.
    for (let stop = this.serviceStops.pop(); stop; stop = this.serviceStops.pop()) {
      await attempt(stop);
    }
    this.stopped = true;
    for (const cleanup of [...this.cleanups].reverse()) {
      await attempt(cleanup);
    }
    if (errors.length > 0) {
      throw errors[0];
    }
  }
}
