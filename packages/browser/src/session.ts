import { KEYS, type Store, uuid } from './storage';

export interface SessionState {
  id: string;
  startedAt: number;
  lastActivity: number;
}

/** What `touch` found: the session to stamp on the event, and the session that timed out before it. */
export interface SessionTouch {
  session: SessionState;
  started: boolean;
  ended: SessionState | null;
}

/**
 * Decides session boundaries from activity times (pure, so the unit tests drive the clock): a session
 * ends after `timeoutMs` without an event, and the next event starts a new one.
 */
export function touchSession(current: SessionState | null, now: number, timeoutMs: number): SessionTouch {
  if (current && now - current.lastActivity < timeoutMs) {
    return { session: { ...current, lastActivity: now }, started: false, ended: null };
  }
  return { session: { id: uuid(), startedAt: now, lastActivity: now }, started: true, ended: current };
}

/** Reads and writes the session in localStorage, so a reload continues the same session. */
export function loadSession(store: Store): SessionState | null {
  try {
    const raw = store.getLocal(KEYS.session);
    const parsed = raw ? (JSON.parse(raw) as SessionState) : null;
    return parsed && typeof parsed.id === 'string' && typeof parsed.lastActivity === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

export function saveSession(store: Store, session: SessionState | null): void {
  store.setLocal(KEYS.session, session ? JSON.stringify(session) : null);
}
