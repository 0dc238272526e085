import { touchSession } from './session';

const MINUTE = 60_000;

describe('touchSession', () => {
  it('starts a session on the first event', () => {
    const touch = touchSession(null, 1_000, 30 * MINUTE);
    expect(touch).toMatchObject({ started: true, ended: null, session: { startedAt: 1_000, lastActivity: 1_000 } });
  });

  it('keeps the session while events come within the timeout, moving its last activity', () => {
    const first = touchSession(null, 0, 30 * MINUTE).session;
    const touch = touchSession(first, 29 * MINUTE, 30 * MINUTE);
    expect(touch).toMatchObject({ started: false, ended: null });
    expect(touch.session).toEqual({ ...first, lastActivity: 29 * MINUTE });
  });

  it('ends the session after the timeout of inactivity and starts a new one', () => {
    const first = touchSession(null, 0, 30 * MINUTE).session;
    const touch = touchSession(first, 30 * MINUTE, 30 * MINUTE);
    expect(touch.started).toBe(true);
    expect(touch.ended).toEqual(first);
    expect(touch.session.id).not.toBe(first.id);
  });
});
