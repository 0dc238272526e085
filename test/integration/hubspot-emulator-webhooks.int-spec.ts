// Webhooks as HubSpot sends them: batches (JSON arrays) of creation, property change and deletion events, signed
// with v3. The signature is checked here by an independent implementation of HubSpot's documented algorithm and by
// the official client's Signature.isValid.
import { Signature } from '@hubspot/api-client';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HubSpotEmulator, startHubSpotEmulator, type WebhookEvent } from '../../emulators/hubspot/src';

const SECRET = 'app-secret-for-tests';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** Base64 HMAC-SHA256 of method + URI + body + timestamp, written from HubSpot's documentation. */
function expectedV3(method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', SECRET)
    .update(method + uri + body + timestamp)
    .digest('base64');
}

describe('HubSpot emulator: signed webhook batches', () => {
  let emulator: HubSpotEmulator;
  let receiver: Server;
  let target: string;
  let received: Received[];
  let answer = 200;
  const control = async <T>(method: string, path: string, body?: object): Promise<T> => {
    const init: RequestInit = body
      ? { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : { method };
    const response = await fetch(`${emulator.url}/_emulator${path}`, init);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const events = (): WebhookEvent[] => received.flatMap(({ body }) => JSON.parse(body) as WebhookEvent[]);

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/hubspot/source-1?x=1`;
    emulator = await startHubSpotEmulator({ limits: false });
  });
  beforeEach(async () => {
    received = [];
    answer = 200;
    await control('POST', '/reset', {});
    await control('POST', '/webhooks', { targetUrl: target, clientSecret: SECRET, retries: 2, backoffMs: 20 });
  });
  afterAll(async () => {
    await emulator.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('sends creations, property changes and deletions in one signed batch with HubSpot fields', async () => {
    const { ids } = await control<{ ids: string[] }>('POST', '/objects/contacts/create', { count: 2 });
    await control('POST', '/objects/contacts/update', {
      ids: [Number(ids[0])],
      set: { firstname: 'Ada', lastname: 'King' },
    });
    await control('POST', '/objects/contacts/archive', { ids: [Number(ids[1])] });
    await control('POST', '/webhooks/flush');

    expect(received).toHaveLength(1);
    const [{ headers, body }] = received;
    const timestamp = String(headers['x-hubspot-request-timestamp']);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-hubspot-signature-v3']).toBe(expectedV3('POST', target, body, timestamp));
    expect(Math.abs(Date.now() - Number(timestamp))).toBeLessThan(5000);
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        signature: String(headers['x-hubspot-signature-v3']),
        clientSecret: SECRET,
        requestBody: body,
        url: target,
        method: 'POST',
        timestamp: Number(timestamp),
      }),
    ).toBe(true);
    expect(
      Signature.isValid({
        signatureVersion: 'v1',
        signature: String(headers['x-hubspot-signature']),
        clientSecret: SECRET,
        requestBody: body,
      }),
    ).toBe(true);
    expect(headers['x-hubspot-signature-v3']).not.toBe(expectedV3('POST', target.replace('?x=1', ''), body, timestamp));

    const sent = events();
    expect(
      sent.map((event) => [
        event.subscriptionType,
        String(event.objectId),
        event.propertyName,
        event.propertyValue,
        event.changeFlag,
      ]),
    ).toEqual([
      ['contact.creation', ids[0], undefined, undefined, 'NEW'],
      ['contact.creation', ids[1], undefined, undefined, 'NEW'],
      ['contact.propertyChange', ids[0], 'firstname', 'Ada', undefined],
      ['contact.propertyChange', ids[0], 'lastname', 'King', undefined],
      ['contact.deletion', ids[1], undefined, undefined, 'DELETED'],
    ]);
    expect(sent[0]).toEqual({
      eventId: expect.any(Number),
      subscriptionId: expect.any(Number),
      portalId: emulator.state.portalId,
      appId: expect.any(Number),
      occurredAt: expect.any(Number),
      subscriptionType: 'contact.creation',
      attemptNumber: 0,
      objectId: Number(ids[0]),
      changeSource: 'CRM_UI',
      changeFlag: 'NEW',
    });
    expect(new Set(sent.map((event) => event.eventId)).size).toBe(5);
  });

  it('splits more than 100 events into batches of at most 100', async () => {
    await control('POST', '/objects/companies/create', { count: 250 });
    await control('POST', '/webhooks/flush');
    expect(received.map(({ body }) => (JSON.parse(body) as unknown[]).length)).toEqual([100, 100, 50]);
    expect(events().every((event) => event.subscriptionType === 'company.creation')).toBe(true);
  });

  it('retries a refused batch with a higher attemptNumber, freshly signed', async () => {
    answer = 500;
    await control('POST', '/objects/deals/create', { count: 1 });
    const { attempts } = await control<{ attempts: { status: number; attempt: number }[] }>('POST', '/webhooks/flush');
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
    ]);
    expect(events().map((event) => event.attemptNumber)).toEqual([0, 1, 2]);
    received.forEach(({ headers, body }) =>
      expect(headers['x-hubspot-signature-v3']).toBe(
        expectedV3('POST', target, body, String(headers['x-hubspot-request-timestamp'])),
      ),
    );
  });

  it('stamps the timestamp with the emulator clock, so a clock set back makes a stale signature', async () => {
    const stale = Date.now() - 10 * 60_000;
    await control('POST', '/clock', { nowMs: stale });
    await control('POST', '/objects/contacts/create', { count: 1 });
    await control('POST', '/webhooks/flush');
    const [{ headers, body }] = received;
    expect(headers['x-hubspot-request-timestamp']).toBe(String(stale));
    const check = () =>
      Signature.isValid({
        signatureVersion: 'v3',
        signature: String(headers['x-hubspot-signature-v3']),
        clientSecret: SECRET,
        requestBody: body,
        url: target,
        method: 'POST',
        timestamp: stale,
      });
    expect(check).toThrow('Timestamp is invalid');
    await control('POST', '/clock', { restore: true });
  });
});
