import { hasUnstorableText } from './json-guards';
import { normalizeMessage, type NormalizeResult } from './tracking-message';

const receivedAt = new Date('2026-12-01T12:00:00.000Z');
const at = { receivedAt };

function accepted(result: NormalizeResult) {
  if (!result.ok) {
    throw new Error(`expected acceptance, got ${result.code} on ${result.field}: ${result.reason}`);
  }
  return result.event;
}

function refused(result: NormalizeResult) {
  if (result.ok) {
    throw new Error('expected a rejection');
  }
  return { code: result.code, field: result.field };
}

describe('normalizeMessage (Segment spec field rules)', () => {
  it('accepts each call with its required fields and fills the columns', () => {
    const identify = accepted(normalizeMessage({ userId: 'u1', traits: { email: 'a@b.c' } }, at, 'identify'));
    expect(identify).toMatchObject({ type: 'identify', userId: 'u1', anonymousId: null, traits: { email: 'a@b.c' } });
    const track = accepted(normalizeMessage({ anonymousId: 'anon', event: 'Signed Up' }, at, 'track'));
    expect(track).toMatchObject({ type: 'track', event: 'Signed Up', anonymousId: 'anon', userId: null });
    expect(accepted(normalizeMessage({ userId: 'u1', name: 'Home' }, at, 'page')).type).toBe('page');
    expect(accepted(normalizeMessage({ userId: 'u1', name: 'Cart' }, at, 'screen')).type).toBe('screen');
    const group = accepted(normalizeMessage({ userId: 'u1', groupId: 'g1', traits: { plan: 'pro' } }, at, 'group'));
    expect(group).toMatchObject({ groupId: 'g1', traits: { plan: 'pro' } });
    const alias = accepted(normalizeMessage({ userId: 'new', previousId: 'old' }, at, 'alias'));
    expect(alias).toMatchObject({ userId: 'new', previousId: 'old' });
  });

  it('refuses what the spec requires, naming the field', () => {
    expect(refused(normalizeMessage({ event: 'x' }, at, 'track'))).toEqual({
      code: 'missing_identity',
      field: 'userId',
    });
    expect(refused(normalizeMessage({ userId: '' }, at, 'identify'))).toEqual({
      code: 'missing_identity',
      field: 'userId',
    });
    expect(refused(normalizeMessage({ userId: 'u' }, at, 'track'))).toEqual({ code: 'missing_field', field: 'event' });
    expect(refused(normalizeMessage({ userId: 'u', event: '  ' }, at, 'track'))).toEqual({
      code: 'missing_field',
      field: 'event',
    });
    expect(refused(normalizeMessage({ userId: 'u' }, at, 'group'))).toEqual({
      code: 'missing_field',
      field: 'groupId',
    });
    expect(refused(normalizeMessage({ userId: 'u' }, at, 'alias'))).toEqual({
      code: 'missing_field',
      field: 'previousId',
    });
    expect(refused(normalizeMessage({ anonymousId: 'a', previousId: 'p' }, at, 'alias'))).toEqual({
      code: 'missing_field',
      field: 'userId',
    });
    expect(refused(normalizeMessage({ userId: 'u' }, at))).toEqual({ code: 'invalid_type', field: 'type' });
    expect(refused(normalizeMessage({ userId: 'u', type: 'delete' }, at))).toEqual({
      code: 'invalid_type',
      field: 'type',
    });
    expect(refused(normalizeMessage([1, 2], at, 'track'))).toEqual({ code: 'invalid_message', field: '' });
    expect(refused(normalizeMessage(null, at, 'track'))).toEqual({ code: 'invalid_message', field: '' });
  });

  it('refuses wrong types with the field', () => {
    expect(refused(normalizeMessage({ userId: { id: 1 } }, at, 'identify'))).toEqual({
      code: 'invalid_field',
      field: 'userId',
    });
    expect(refused(normalizeMessage({ userId: 'u', traits: 'x' }, at, 'identify'))).toEqual({
      code: 'invalid_field',
      field: 'traits',
    });
    expect(refused(normalizeMessage({ userId: 'u', event: 'e', properties: [1] }, at, 'track'))).toEqual({
      code: 'invalid_field',
      field: 'properties',
    });
    expect(refused(normalizeMessage({ userId: 'u', name: 5 }, at, 'page'))).toEqual({
      code: 'invalid_field',
      field: 'name',
    });
    expect(refused(normalizeMessage({ userId: 'u', messageId: 7 }, at, 'identify'))).toEqual({
      code: 'invalid_field',
      field: 'messageId',
    });
    expect(refused(normalizeMessage({ userId: 'u', messageId: 'm'.repeat(101) }, at, 'identify'))).toEqual({
      code: 'invalid_field',
      field: 'messageId',
    });
    expect(refused(normalizeMessage({ userId: 'u'.repeat(501) }, at, 'identify'))).toEqual({
      code: 'invalid_field',
      field: 'userId',
    });
  });

  it('stores numeric ids as strings, like Segment’s libraries', () => {
    expect(accepted(normalizeMessage({ userId: 42 }, at, 'identify')).userId).toBe('42');
  });

  it('keeps a given messageId and generates one when absent', () => {
    expect(accepted(normalizeMessage({ userId: 'u', messageId: 'm-1' }, at, 'identify')).messageId).toBe('m-1');
    const a = accepted(normalizeMessage({ userId: 'u' }, at, 'identify')).messageId;
    const b = accepted(normalizeMessage({ userId: 'u' }, at, 'identify')).messageId;
    expect(a).toMatch(/^trb-[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });

  it('corrects clock skew from sentAt: timestamp = receivedAt − (sentAt − originalTimestamp)', () => {
    // The device clock is 1 hour fast: it says the call happened at 12:59:50 and was sent at 13:00:00.
    const event = accepted(
      normalizeMessage(
        { userId: 'u', timestamp: '2026-12-01T12:59:50.000Z', sentAt: '2026-12-01T13:00:00.000Z' },
        at,
        'identify',
      ),
    );
    expect(event.timestamp.toISOString()).toBe('2026-12-01T11:59:50.000Z');
    expect(event.originalTimestamp?.toISOString()).toBe('2026-12-01T12:59:50.000Z');
    expect(event.sentAt?.toISOString()).toBe('2026-12-01T13:00:00.000Z');
    expect(event.receivedAt).toBe(receivedAt);
    expect(event.payload).toMatchObject({
      timestamp: '2026-12-01T11:59:50.000Z',
      originalTimestamp: '2026-12-01T12:59:50.000Z',
      receivedAt: '2026-12-01T12:00:00.000Z',
    });
  });

  it('prefers originalTimestamp over timestamp as the device time', () => {
    const event = accepted(
      normalizeMessage(
        {
          userId: 'u',
          originalTimestamp: '2026-12-01T10:00:00.000Z',
          timestamp: '2000-01-01T00:00:00.000Z',
          sentAt: '2026-12-01T10:00:05.000Z',
        },
        at,
        'identify',
      ),
    );
    expect(event.timestamp.toISOString()).toBe('2026-12-01T11:59:55.000Z');
  });

  it('takes a timestamp without sentAt as is (historical import), and receivedAt when none', () => {
    const old = accepted(normalizeMessage({ userId: 'u', timestamp: '2020-05-01T00:00:00+02:00' }, at, 'identify'));
    expect(old.timestamp.toISOString()).toBe('2020-04-30T22:00:00.000Z');
    expect(old.sentAt).toBeNull();
    const now = accepted(normalizeMessage({ userId: 'u' }, at, 'identify'));
    expect(now.timestamp).toEqual(receivedAt);
    expect(now.originalTimestamp).toBeNull();
  });

  it('uses the batch’s sentAt for its items', () => {
    const event = accepted(
      normalizeMessage(
        { type: 'identify', userId: 'u', timestamp: '2026-12-01T11:00:00.000Z' },
        { receivedAt, sentAt: '2026-12-01T11:00:10.000Z' },
      ),
    );
    expect(event.timestamp.toISOString()).toBe('2026-12-01T11:59:50.000Z');
  });

  it('refuses timestamps that are not ISO-8601 date-times, or out of range', () => {
    for (const bad of ['yesterday', '2026-13-01T00:00:00Z', 1733000000, '2026', '0000-01-01T00:00:00Z']) {
      expect(refused(normalizeMessage({ userId: 'u', timestamp: bad }, at, 'identify'))).toEqual({
        code: 'invalid_timestamp',
        field: 'timestamp',
      });
    }
    expect(refused(normalizeMessage({ userId: 'u', sentAt: 'soon' }, at, 'identify'))).toEqual({
      code: 'invalid_timestamp',
      field: 'sentAt',
    });
    // A sentAt far in the past pushes the corrected time past year 9999.
    expect(
      refused(
        normalizeMessage(
          { userId: 'u', timestamp: '9999-01-01T00:00:00Z', sentAt: '1971-01-01T00:00:00Z' },
          at,
          'identify',
        ),
      ),
    ).toEqual({ code: 'invalid_timestamp', field: 'sentAt' });
  });

  it('merges batch-level context and integrations into the item (the item wins key by key)', () => {
    const event = accepted(
      normalizeMessage(
        {
          type: 'track',
          userId: 'u',
          event: 'e',
          context: { locale: 'fr-FR', externalIds: [{ id: 'cus_1', type: 'stripe_customer_id' }] },
          integrations: { All: false },
        },
        {
          receivedAt,
          context: { library: { name: 'analytics-node' }, locale: 'en-US' },
          integrations: { Mixpanel: true },
        },
      ),
    );
    expect(event.payload.context).toEqual({
      library: { name: 'analytics-node' },
      locale: 'fr-FR',
      externalIds: [{ id: 'cus_1', type: 'stripe_customer_id' }],
    });
    expect(event.payload.integrations).toEqual({ Mixpanel: true, All: false });
    expect(event.externalIds).toEqual([{ id: 'cus_1', type: 'stripe_customer_id' }]);
  });

  it('reads traits from context.traits for calls other than identify and group', () => {
    const event = accepted(
      normalizeMessage({ userId: 'u', event: 'e', context: { traits: { email: 'x@y.z' } } }, at, 'track'),
    );
    expect(event.traits).toEqual({ email: 'x@y.z' });
  });

  it('never stores the write key in the payload', () => {
    const event = accepted(normalizeMessage({ userId: 'u', writeKey: 'wk_secret' }, at, 'identify'));
    expect(JSON.stringify(event.payload)).not.toContain('wk_secret');
  });

  it('refuses an event over 32 KB', () => {
    expect(refused(normalizeMessage({ userId: 'u', traits: { blob: 'x'.repeat(32 * 1024) } }, at, 'identify'))).toEqual(
      {
        code: 'too_large',
        field: '',
      },
    );
    expect(
      accepted(normalizeMessage({ userId: 'u', traits: { blob: 'x'.repeat(30 * 1024) } }, at, 'identify')),
    ).toBeTruthy();
  });

  it('refuses nesting deeper than 64 levels, before anything recursive sees it', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) {
      deep = [deep];
    }
    expect(refused(normalizeMessage({ userId: 'u', properties: { deep } }, at, 'identify'))).toEqual({
      code: 'too_deep',
      field: '',
    });
    let ok: unknown = 1;
    for (let i = 0; i < 60; i++) {
      ok = { ok };
    }
    expect(accepted(normalizeMessage({ userId: 'u', properties: { ok } }, at, 'identify'))).toBeTruthy();
  });

  it('refuses text Postgres cannot store (NUL, unpaired surrogates) and keeps literal backslashes', () => {
    expect(refused(normalizeMessage({ userId: 'u', traits: { a: 'x\u0000y' } }, at, 'identify')).code).toBe(
      'invalid_text',
    );
    expect(refused(normalizeMessage({ userId: 'u', traits: { a: 'x\ud800' } }, at, 'identify')).code).toBe(
      'invalid_text',
    );
    expect(refused(normalizeMessage({ userId: 'u', traits: { ['k\udfff']: 1 } }, at, 'identify')).code).toBe(
      'invalid_text',
    );
    expect(accepted(normalizeMessage({ userId: 'u', traits: { a: '\\u0000 and 😀' } }, at, 'identify'))).toBeTruthy();
    expect(hasUnstorableText(JSON.stringify('\\\\\u0000'))).toBe(true);
    expect(hasUnstorableText(JSON.stringify('\\\\u0000'))).toBe(false);
  });
});
