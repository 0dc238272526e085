import type { temporal } from '@temporalio/proto';

export type History = temporal.api.history.v1.IHistory;

/** Every string and every payload byte of a history, decoded as text: what an operator could read in the UI. */
export function readableText(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) {
    out.push(Buffer.from(value).toString('utf8'));
  } else if (typeof value === 'string') {
    out.push(value);
  } else if (value && typeof value === 'object') {
    Object.values(value as Record<string, unknown>).forEach((v) => readableText(v, out));
  }
  return out;
}

export interface ActivityAttempt {
  activity: string;
  /** The attempt that ended the activity (1 = never retried). */
  attempt: number;
  /** The failure of the attempt before it, when it was retried (Temporal keeps only that one). */
  lastFailure?: string;
  /** The failure that ended it, if it failed. */
  failure?: string;
}

/** Each activity execution of a history, with the attempt that ended it and the failures Temporal kept. */
export function activityAttempts(history: History): ActivityAttempt[] {
  const events = history.events ?? [];
  const byScheduled = new Map<string, ActivityAttempt>();
  for (const event of events) {
    const id = String(event.eventId);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      byScheduled.set(id, { activity: scheduled.activityType?.name ?? '', attempt: 0 });
    }
    const started = event.activityTaskStartedEventAttributes;
    const entry = started && byScheduled.get(String(started.scheduledEventId));
    if (started && entry) {
      entry.attempt = started.attempt ?? 0;
      entry.lastFailure = started.lastFailure?.message ?? undefined;
    }
    const failed = event.activityTaskFailedEventAttributes;
    const failedEntry = failed && byScheduled.get(String(failed.scheduledEventId));
    if (failed && failedEntry) {
      failedEntry.failure = failed.failure?.message ?? undefined;
    }
  }
  return [...byScheduled.values()];
}
