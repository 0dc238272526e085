import { Context } from '@temporalio/activity';

/** Records an activity's progress; the latest details are repeated while the activity waits. */
export type Beat = (details: Record<string, unknown>) => void;

/**
 * Runs `fn` heartbeating all along (three times per heartbeat timeout), not only between steps: an
 * activity waiting for a process slot or a slow provider answer is alive, and a cancellation reaches an
 * activity only in a heartbeat's response.
 */
export async function whileHeartbeating<T>(fn: (beat: Beat) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  let latest: Record<string, unknown> = { waiting: true };
  const beat: Beat = (details) => {
    latest = details;
    ctx.heartbeat(details);
  };
  const everyMs = Math.max(100, Math.floor((ctx.info.heartbeatTimeoutMs || 30_000) / 3));
  const timer = setInterval(() => ctx.heartbeat(latest), everyMs);
  try {
    beat(latest);
    return await fn(beat);
  } finally {
    clearInterval(timer);
  }
}
