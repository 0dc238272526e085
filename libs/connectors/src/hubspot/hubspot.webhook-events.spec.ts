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
      kind: 'record',
      object: 'contacts',
      objectId: '512',
      occurredAt: 1_790_000_000_123,
    });
    expect(parseHubSpotChangeId('tickets:1:2')).toBeNull();
    expect(parseHubSpotChangeId('contacts:1')).toBeNull();
  });

  it('turns an association change into the link as our association object keeps it, either direction', () => {
    const link = (eventId: number, associationType: string, fromObjectId: number, toObjectId: number) => ({
      eventId,
      occurredAt: 7,
      subscriptionType: 'contact.associationChange',
      associationType,
      fromObjectId,
      toObjectId,
      associationRemoved: false,
    });
    expect(
      hubspotWebhookEvents(
        body([
          link(1, 'CONTACT_TO_COMPANY', 5, 9),
          link(2, 'COMPANY_TO_CONTACT', 9, 5),
          link(3, 'DEAL_TO_CONTACT', 3, 5),
          link(4, 'COMPANY_TO_DEAL', 9, 3),
          link(5, 'CONTACT_TO_TICKET', 5, 1),
        ]),
      ),
    ).toEqual([
      { eventId: '1', changeId: 'contact_companies:5:9:7' },
      { eventId: '2', changeId: 'contact_companies:5:9:7' },
      { eventId: '3', changeId: 'deal_contacts:3:5:7' },
      { eventId: '4', changeId: 'deal_companies:3:9:7' },
      { eventId: '5', changeId: null },
    ]);
    expect(parseHubSpotChangeId('deal_contacts:3:5:7')).toEqual({
      kind: 'association',
      object: 'deal_contacts',
      fromId: '3',
      toId: '5',
      occurredAt: 7,
    });
    expect(hubspotWebhookEvents(body([{ ...link(1, 'CONTACT_TO_COMPANY', 5, 9), toObjectId: 'x' }]))).toEqual({
      problem: expect.stringMatching(/^Event 0 /),
    });
  });

  it('acknowledges events of objects we do not sync without a change to read', () => {
    expect(hubspotWebhookEvents(body([event({ subscriptionType: 'ticket.creation' })]))).toEqual([
      { eventId: '1000001', changeId: null },
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
