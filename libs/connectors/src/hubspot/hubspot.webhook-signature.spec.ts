import { Signature } from '@hubspot/api-client';
import type { SignedRequest } from '../core/connector-definition';
import { verifyHubSpotSignature } from './hubspot.webhook-signature';

// Signatures are made by @hubspot/api-client's own code, an implementation independent of ours.
const SECRET = 'b9a3c1e2-7d4f-4a1b-9c3e-5f6a7b8c9d0e';
const PREVIOUS = 'a1a1a1a1-2b2b-4c3c-8d4d-5e5e5e5e5e5e';
const URL = 'https://in.example.com/webhooks/hubspot/2b5a9c3e-0d1f-4e6a-8b7c-9d0e1f2a3b4c';
const BODY = '[{"eventId":1,"subscriptionType":"contact.creation","objectId":7,"occurredAt":1790000000000}]';
const NOW = 1_790_000_000_000;

function sign(secret: string, timestamp = NOW, body = BODY, url = URL, method = 'POST'): string {
  return Signature.getSignature(method, 'v3', {
    signature: '',
    clientSecret: secret,
    requestBody: body,
    url,
    timestamp,
  });
}

function request(headers: Record<string, string>, body = BODY, url = URL, method = 'POST'): SignedRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, url, body: Buffer.from(body, 'utf8'), header: (name) => lower[name] };
}

function signed(signature: string, timestamp = NOW, body = BODY, url = URL): SignedRequest {
  return request({ 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': String(timestamp) }, body, url);
}

describe('verifyHubSpotSignature', () => {
  it('accepts a v3 signature by the client secret, or by the previous one during a rotation', () => {
    expect(verifyHubSpotSignature(signed(sign(SECRET)), [SECRET], NOW)).toEqual({ ok: true });
    expect(verifyHubSpotSignature(signed(sign(PREVIOUS)), [SECRET, PREVIOUS], NOW)).toEqual({ ok: true });
  });

  it('refuses another secret, a changed body, another URI or method, saying what to check', () => {
    const other = verifyHubSpotSignature(signed(sign(PREVIOUS)), [SECRET], NOW);
    expect(other).toMatchObject({ ok: false, problem: 'mismatch', reason: expect.stringMatching(/INGEST_PUBLIC_URL/) });
    const changed = BODY.replace('"objectId":7', '"objectId":8');
    expect(verifyHubSpotSignature(signed(sign(SECRET), NOW, changed), [SECRET], NOW)).toMatchObject({
      problem: 'mismatch',
    });
    // HubSpot signed the public address; ingest rebuilt another (INGEST_PUBLIC_URL wrong, or a proxy's).
    const internal = URL.replace('https://in.example.com', 'http://10.0.0.7:3001');
    expect(verifyHubSpotSignature(signed(sign(SECRET), NOW, BODY, internal), [SECRET], NOW)).toMatchObject({
      problem: 'mismatch',
    });
    expect(verifyHubSpotSignature(signed(sign(SECRET, NOW, BODY, URL, 'PUT')), [SECRET], NOW)).toMatchObject({
      problem: 'mismatch',
    });
    expect(verifyHubSpotSignature(signed(sign(SECRET)), [], NOW)).toMatchObject({ problem: 'mismatch' });
  });

  it('refuses a timestamp more than five minutes old (or ahead), accepting one just inside', () => {
    expect(verifyHubSpotSignature(signed(sign(SECRET, NOW - 300_000), NOW - 300_000), [SECRET], NOW).ok).toBe(true);
    const stale = verifyHubSpotSignature(signed(sign(SECRET, NOW - 300_001), NOW - 300_001), [SECRET], NOW);
    expect(stale).toMatchObject({ ok: false, problem: 'stale', reason: expect.stringMatching(/more than 300 s/) });
    const ahead = verifyHubSpotSignature(signed(sign(SECRET, NOW + 300_001), NOW + 300_001), [SECRET], NOW);
    expect(ahead).toMatchObject({ problem: 'stale' });
    // The timestamp is signed: moving it into the window breaks the signature.
    expect(verifyHubSpotSignature(signed(sign(SECRET, NOW - 400_000), NOW), [SECRET], NOW)).toMatchObject({
      problem: 'mismatch',
    });
  });

  it('refuses missing or malformed headers', () => {
    expect(verifyHubSpotSignature(request({}), [SECRET], NOW)).toMatchObject({ problem: 'missing' });
    expect(verifyHubSpotSignature(request({ 'X-HubSpot-Signature-v3': sign(SECRET) }), [SECRET], NOW)).toMatchObject({
      problem: 'missing',
    });
    expect(
      verifyHubSpotSignature(request({ 'X-HubSpot-Request-Timestamp': String(NOW) }), [SECRET], NOW),
    ).toMatchObject({ problem: 'missing' });
    for (const [signature, timestamp] of [
      ['not base64!', String(NOW)],
      [sign(SECRET), 'yesterday'],
      [sign(SECRET).slice(4), String(NOW)],
    ]) {
      const headers = { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': timestamp };
      expect(verifyHubSpotSignature(request(headers), [SECRET], NOW)).toMatchObject({ problem: 'malformed' });
    }
  });

  it('never puts a secret or the body into its reasons', () => {
    const results = [
      verifyHubSpotSignature(signed(sign(PREVIOUS)), [SECRET], NOW),
      verifyHubSpotSignature(signed(sign(SECRET, NOW - 1_000_000), NOW - 1_000_000), [SECRET], NOW),
    ];
    for (const result of results) {
      expect(JSON.stringify(result)).not.toMatch(/b9a3c1e2|a1a1a1a1|contact\.creation/);
    }
  });
});
