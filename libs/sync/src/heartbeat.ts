import { Context } from '@temporalio/activity';

/** Records an activity's progress; the latest details are repeated while the activity waits. */
export type Beat = (details: Record<string, unknown>) => void;

// A cancellation reaches an activity only in a heartbeat's response: heartbeat at least this often (the
// source workers send at most one every 2 s, maxHeartbeatThrottleInterval), so a cancel lands in seconds.
const CANCEL_CHECK_MS = 2000;

/**
 * Runs `fn` heartbeating all along (three times per heartbeat timeout, and every CANCEL_CHECK_MS), not
 * only between steps: an activity waiting for a process slot or a slow provider answer is alive.
 */
export async function whileHeartbeating<T>(fn: (beat: Beat) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  let latest: Record<string, unknown> = { waiting: true };
  const beat: Beat = (details) => {
    latest = details;
    ctx.heartbeat(details);
  };
  const everyMs = Math.max(100, Math.min(CANCEL_CHECK_MS, Math.floor((ctx.info.heartbeatTimeoutMs || 30_000) / 3)));
  const timer = setInterval(() => ctx.heartbeat(latest), everyMs);
  try {
    beat(latest);
    return await fn(beat);
  } finally {
    clearInterval(timer);
  }
}
