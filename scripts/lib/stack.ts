import { describeExit, type ExitInfo, type ProcessGroup } from './process-group';

/**
 * Everything one run started, stopped in a safe order: process groups first (they hold database
 * connections), then Postgres, then temporary files.
 */
export class Stack {
  private readonly groups: ProcessGroup[] = [];
  private readonly databaseStops: (() => Promise<void>)[] = [];
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
    this.databaseStops.push(stop);
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
    for (const stop of [...this.databaseStops].reverse()) {
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
