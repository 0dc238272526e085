import { hubspotWebhookEvents, parseHubSpotChangeId } from './hubspot.webhook-events';

const event = (overrides: Record<string, unknown> = {}) => ({
  eventId: 1_000_001,
  subscriptionId: 2_000_001,
  portalId: 62_515,
  appId: 4_210_001,
  occurredAt: 1_790_000_000_123,
  subscriptionType: 'contact.propertyChange',
  attemptNumber: 0,
  objectId: 512,
  propertyName: 'email',
  propertyValue: 'pii@example.test',
  changeSource: 'CRM_UI',
  ...overrides,
});

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

describe('hubspotWebhookEvents', () => {
  it('turns each record event into its event id and a change id naming the object, the record and the time', () => {
    const events = hubspotWebhookEvents(
      body([
        event(),
        event({ eventId: 2, subscriptionType: 'company.creation', objectId: 9 }),
        event({ eventId: '3', subscriptionType: 'deal.deletion', objectId: 10, occurredAt: 5 }),
      ]),
    );
    expect(events).toEqual([
      { eventId: '1000001', changeId: 'contacts:512:1790000000123' },
      { eventId: '2', changeId: 'companies:9:1790000000123' },
      { eventId: '3', changeId: 'deals:10:5' },
    ]);
    expect(parseHubSpotChangeId('contacts:512:1790000000123')).toEqual({
      object: 'contacts',
      objectId: '512',
      occurredAt: 1_790_000_000_123,
    });
    expect(parseHubSpotChangeId('tickets:1:2')).toBeNull();
    expect(parseHubSpotChangeId('contacts:1')).toBeNull();
  });

  it('acknowledges events of objects we do not sync and association changes without a change to read', () => {
    expect(
      hubspotWebhookEvents(
        body([
          event({ subscriptionType: 'ticket.creation' }),
          event({ eventId: 2, subscriptionType: 'contact.associationChange' }),
        ]),
      ),
    ).toEqual([
      { eventId: '1000001', changeId: null },
      { eventId: '2', changeId: null },
    ]);
  });

  it('refuses a body that is not a non-empty array of at most 100 events, naming the bad event', () => {
    expect(hubspotWebhookEvents(Buffer.from('not json'))).toEqual({ problem: expect.stringMatching(/must be JSON/) });
    for (const notArray of [event(), [], Array.from({ length: 101 }, (_, i) => event({ eventId: i }))]) {
      expect(hubspotWebhookEvents(body(notArray))).toEqual({ problem: expect.stringMatching(/array of 1 to 100/) });
    }
    for (const bad of [
      event({ eventId: undefined }),
      event({ objectId: 'abc' }),
      event({ occurredAt: -1 }),
      event({ subscriptionType: 'creation' }),
      null,
    ]) {
      expect(hubspotWebhookEvents(body([event(), bad]))).toEqual({ problem: expect.stringMatching(/^Event 1 /) });
    }
    expect(JSON.stringify(hubspotWebhookEvents(body([event({ eventId: null })])))).not.toContain('pii@');
  });
});
