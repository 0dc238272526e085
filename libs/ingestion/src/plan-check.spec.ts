import type { TrackingPlan } from '@app/common';
import { CompiledPlans, compilePlan } from './plan-check';
import type { TrackingEvent } from './tracking-message';

const plan = (over: Partial<TrackingPlan> = {}): TrackingPlan => ({
  mode: 'BLOCK',
  version: 3,
  events: [
    {
      name: 'Order Completed',
      properties: {
        type: 'object',
        required: ['total'],
        properties: { total: { type: 'number' }, items: { type: 'array', items: { required: ['sku'] } } },
        additionalProperties: false,
      },
    },
    { name: 'Viewed', properties: null },
  ],
  identifyTraits: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
  ...over,
});

function event(type: TrackingEvent['type'], name: string | null, body: Record<string, unknown>): TrackingEvent {
  return {
    messageId: 'm1',
    type,
    event: name,
    userId: 'u1',
    anonymousId: null,
    groupId: null,
    previousId: null,
    traits: (body.traits as Record<string, unknown>) ?? null,
    externalIds: null,
    timestamp: new Date(0),
    originalTimestamp: null,
    sentAt: null,
    receivedAt: new Date(0),
    payload: body,
  };
}

describe('compilePlan', () => {
  it('compiles nothing for ALLOW or no plan (no work on the hot path)', () => {
    expect(compilePlan(plan({ mode: 'ALLOW' }))).toBeNull();
    expect(compilePlan(null)).toBeNull();
  });

  it('passes conforming events and gives exact paths for each violation', () => {
    const compiled = compilePlan(plan())!;
    expect(compiled.check(event('track', 'Order Completed', { properties: { total: 12.5 } }))).toEqual([]);
    expect(compiled.check(event('track', 'Viewed', { properties: { anything: true } }))).toEqual([]);
    const violations = compiled.check(
      event('track', 'Order Completed', { properties: { total: 'x', items: [{ sku: 'a' }, {}], coupon: 'Z' } }),
    );
    expect(violations.map((v) => v.field).sort()).toEqual([
      'properties.coupon',
      'properties.items[1].sku',
      'properties.total',
    ]);
    expect(violations.every((v) => v.code === 'schema_violation' && v.reason.startsWith(v.field))).toBe(true);
    expect(compiled.check(event('track', 'Order Completed', {}))).toEqual([
      expect.objectContaining({ code: 'schema_violation', field: 'properties.total' }),
    ]);
  });

  it('flags unknown track names on `event`, identify traits on `traits.*`, and leaves other calls alone', () => {
    const compiled = compilePlan(plan())!;
    expect(compiled.check(event('track', 'Order Complete', {}))).toEqual([
      { code: 'unknown_event', field: 'event', reason: expect.stringContaining('version 3') },
    ]);
    expect(compiled.check(event('identify', null, { traits: { email: 42 } }))).toEqual([
      expect.objectContaining({ code: 'schema_violation', field: 'traits.email' }),
    ]);
    expect(compiled.check(event('page', null, { properties: { total: 'x' } }))).toEqual([]);
    // No events listed: any name.
    expect(compilePlan(plan({ events: [] }))!.check(event('track', 'Anything', {}))).toEqual([]);
  });
});

describe('CompiledPlans', () => {
  it('compiles once per (source, version) and again when the version moves', () => {
    const plans = new CompiledPlans();
    const first = plans.get('s1', plan());
    expect(plans.get('s1', plan())).toBe(first);
    const next = plans.get('s1', plan({ version: 4 }));
    expect(next).not.toBe(first);
    expect(next!.version).toBe(4);
    expect(plans.get('s2', undefined)).toBeNull();
  });
});
