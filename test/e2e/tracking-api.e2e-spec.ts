// The Segment-compatible tracking API end to end: the real ingest app over HTTP, real Postgres. Write keys
// and sources are made through the sources services (as the api does); events are read back as rows.
import { WorkspacesService } from '@app/auth';
import { SourceEnvironment, SourceKind, SourceStatus } from '@app/common';
import { SourcesService, WriteKeysService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { startCoreApp } from '../utils/core-app';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { startTestIngest, type TestIngest } from '../utils/ingest';

interface Source {
  id: string;
  key: string;
}

const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe('tracking API (ingest)', () => {
  let core: INestApplicationContext;
  let ingest: TestIngest;
  let workspaceId: string;
  let web: Source;

  async function createSource(name: string, allowedOrigins: string[] = []): Promise<Source> {
    const sources = core.get(SourcesService);
    const source = await sources.create(workspaceId, {
      name,
      kind: SourceKind.JAVASCRIPT,
      environment: SourceEnvironment.PRODUCTION,
    });
    if (allowedOrigins.length > 0) {
      await sources.update(workspaceId, source.id, { trackingConfig: { allowedOrigins } });
    }
    const issued = await core.get(WriteKeysService).issue(workspaceId, source.id);
    return { id: source.id, key: issued.secret };
  }

  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${ingest.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });

  const rows = (sourceId: string) =>
    queryTestDb<{
      message_id: string;
      type: string;
      event: string | null;
      user_id: string | null;
      anonymous_id: string | null;
      payload: Record<string, any>;
    }>('SELECT message_id, type, event, user_id, anonymous_id, payload FROM events WHERE source_id = $1 ORDER BY id', [
      sourceId,
    ]);

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    core = await startCoreApp();
    ingest = await startTestIngest({ LOG_LEVEL: 'info' });
    workspaceId = (await core.get(WorkspacesService).create(`Tracking ${randomUUID()}`)).workspace.id;
    web = await createSource('web', ['https://shop.example.com', 'https://*.example.org']);
  });
  afterAll(async () => {
    await ingest?.close();
    await core?.close();
  });

  it('accepts every Segment call on its long and short path, with the key as Basic username or in the body', async () => {
    const calls: [string, string, Record<string, unknown>][] = [
      ['/v1/identify', '/v1/i', { userId: 'u1', traits: { plan: 'pro' } }],
      ['/v1/track', '/v1/t', { anonymousId: 'a1', event: 'Clicked' }],
      ['/v1/page', '/v1/p', { userId: 'u1', name: 'Home' }],
      ['/v1/screen', '/v1/s', { userId: 'u1', name: 'Cart' }],
      ['/v1/group', '/v1/g', { userId: 'u1', groupId: 'g1' }],
      ['/v1/alias', '/v1/a', { userId: 'u1', previousId: 'a1' }],
    ];
    const source = await createSource('all calls');
    for (const [long, short, body] of calls) {
      const byBasic = await post(long, body, { authorization: basic(source.key) });
      expect({ path: long, status: byBasic.status, body: await byBasic.json() }).toEqual({
        path: long,
        status: 200,
        body: { success: true, status: 'accepted', messageId: expect.any(String) },
      });
      const byBody = await post(short, { ...body, writeKey: source.key });
      expect({ path: short, status: byBody.status }).toEqual({ path: short, status: 200 });
    }
    const stored = await rows(source.id);
    expect(stored.map((r) => r.type)).toEqual(calls.flatMap(([long]) => [long.slice(4), long.slice(4)]));
    expect(stored[2]).toMatchObject({ type: 'track', event: 'Clicked', anonymous_id: 'a1', user_id: null });
    expect(JSON.stringify(stored)).not.toContain(source.key);
  });

  it('answers a batch with one result per item, in order, and stores only the accepted ones', async () => {
    const source = await createSource('batch');
    const res = await post(
      '/v1/batch',
      {
        writeKey: source.key,
        context: { library: { name: 'analytics-python', version: '2.3.0' } },
        sentAt: new Date().toISOString(),
        batch: [
          { type: 'identify', userId: 'u1', messageId: 'b1' },
          { type: 'track', userId: 'u1', messageId: 'b2' },
          { type: 'track', event: 'No one', messageId: 'b3' },
          { type: 'group', userId: 'u1', groupId: 'g1', messageId: 'b4' },
          { type: 'identify', userId: 'u1', messageId: 'b1' },
          { type: 'delete', userId: 'u1' },
        ],
      },
      {},
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      success: true,
      accepted: 2,
      duplicate: 1,
      rejected: 3,
      quarantined: 0,
      results: [
        { status: 'accepted', messageId: 'b1' },
        {
          status: 'rejected',
          messageId: 'b2',
          code: 'missing_field',
          field: 'event',
          reason: expect.stringContaining('track needs event'),
        },
        expect.objectContaining({ status: 'rejected', messageId: 'b3', code: 'missing_identity', field: 'userId' }),
        { status: 'accepted', messageId: 'b4' },
        { status: 'duplicate', messageId: 'b1' },
        expect.objectContaining({ status: 'rejected', code: 'invalid_type', field: 'type' }),
      ],
    });
    const stored = await rows(source.id);
    expect(stored.map((r) => r.message_id)).toEqual(['b1', 'b4']);
    expect(stored[0].payload.context).toEqual({ library: { name: 'analytics-python', version: '2.3.0' } });
    for (const path of ['/v1/import', '/v1/b']) {
      const again = await post(
        path,
        { batch: [{ type: 'track', userId: 'u', event: 'e' }] },
        { authorization: basic(source.key) },
      );
      expect(await again.json()).toMatchObject({ accepted: 1 });
    }
  });

  it('stores a retried event once (the retry answers duplicate)', async () => {
    const body = { userId: 'u1', event: 'Paid', messageId: `retry-${randomUUID()}`, writeKey: web.key };
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await (await post('/v1/track', body)).json());
    }
    expect(answers.map((a: any) => a.status)).toEqual(['accepted', 'duplicate', 'duplicate']);
    const concurrent = { ...body, messageId: `race-${randomUUID()}` };
    const raced = await Promise.all(
      Array.from({ length: 10 }, () => post('/v1/track', concurrent).then((r) => r.json())),
    );
    expect(raced.filter((a: any) => a.status === 'accepted')).toHaveLength(1);
    const stored = (await rows(web.id)).filter((r) => [body.messageId, concurrent.messageId].includes(r.message_id));
    expect(stored).toHaveLength(2);
  });

  it('reads gzip bodies, text/plain (sendBeacon) bodies, and applies the limits after decompression', async () => {
    const gz = await post('/v1/t', gzipSync(JSON.stringify({ userId: 'u', event: 'Zipped', writeKey: web.key })), {
      'content-encoding': 'gzip',
    });
    expect(gz.status).toBe(200);
    const beacon = await post('/v1/t', JSON.stringify({ userId: 'u', event: 'Beacon', writeKey: web.key }), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(beacon.status).toBe(200);
    expect((await rows(web.id)).map((r) => r.event)).toEqual(expect.arrayContaining(['Zipped', 'Beacon']));

    const bomb = gzipSync(JSON.stringify({ writeKey: web.key, batch: [], pad: ' '.repeat(600 * 1024) }));
    const bombed = await post('/v1/batch', bomb, { 'content-encoding': 'gzip' });
    expect(bombed.status).toBe(413);
    expect(await bombed.json()).toMatchObject({ error: expect.stringContaining('decompressed') });
  });

  it('answers every refusal with its status and a reason', async () => {
    const expectRefusal = async (res: Response, status: number, reason: RegExp): Promise<void> => {
      const body = (await res.json()) as { error?: string; message?: string };
      expect({ status: res.status, reason: body.error ?? body.message }).toEqual({
        status,
        reason: expect.stringMatching(reason),
      });
    };
    const auth = { authorization: basic(web.key) };
    await expectRefusal(await post('/v1/track', '{"userId": "u",', auth), 400, /not valid JSON/);
    await expectRefusal(await post('/v1/track', { event: 'x' }, auth), 400, /userId or anonymousId/);
    await expectRefusal(await post('/v1/track', { userId: 'u' }, auth), 400, /track needs event/);
    await expectRefusal(await post('/v1/batch', { events: [] }, auth), 400, /batch/);
    await expectRefusal(
      await post('/v1/track', { userId: 'u', event: 'e', properties: { b: 'x'.repeat(33 * 1024) } }, auth),
      413,
      /32 KB/,
    );
    await expectRefusal(await post('/v1/batch', 'x'.repeat(600 * 1024), auth), 413, /too large/i);
    const tooMany = { batch: Array.from({ length: 2_501 }, () => ({ type: 'track', userId: 'u', event: 'e' })) };
    await expectRefusal(await post('/v1/batch', tooMany, auth), 413, /at most 2500/);
    await expectRefusal(
      await post('/v1/track', { userId: 'u', event: 'e' }, { 'content-type': 'application/xml', ...auth }),
      415,
      /application\/json/,
    );
    await expectRefusal(await post('/v1/track', { userId: 'u', event: 'e' }), 401, /write key/);
    await expectRefusal(await post('/v1/track', { userId: 'u', event: 'e', writeKey: 'wk_nope_x' }), 401, /Unknown/);

    const revoked = await createSource('revoked');
    const [key] = (await core.get(WriteKeysService).listForSources([revoked.id])).get(revoked.id)!;
    await core.get(WriteKeysService).revoke(workspaceId, key.id);
    await expectRefusal(
      await post('/v1/track', { userId: 'u', event: 'e' }, { authorization: basic(revoked.key) }),
      401,
      /revoked/,
    );

    const paused = await createSource('paused');
    await core.get(SourcesService).setStatus(workspaceId, paused.id, SourceStatus.PAUSED);
    await expectRefusal(
      await post('/v1/track', { userId: 'u', event: 'e' }, { authorization: basic(paused.key) }),
      403,
      /paused/,
    );
    const disabled = await createSource('disabled');
    await queryTestDb(`UPDATE sources SET status = 'DISABLED' WHERE id = $1`, [disabled.id]);
    await expectRefusal(
      await post('/v1/track', { userId: 'u', event: 'e' }, { authorization: basic(disabled.key) }),
      403,
      /disabled/,
    );
    // Cloud apps get no write keys; a key that somehow points at one is still refused.
    const cloud = await createSource('became cloud');
    await queryTestDb(`UPDATE sources SET kind = 'STRIPE', tracking_config = NULL WHERE id = $1`, [cloud.id]);
    await expectRefusal(
      await post('/v1/track', { userId: 'u', event: 'e' }, { authorization: basic(cloud.key) }),
      403,
      /cloud-app/,
    );

    for (const s of [revoked, paused, disabled, cloud]) {
      expect(await rows(s.id)).toEqual([]);
    }
  });

  it('answers CORS preflights for any origin, and checks Origin on the POST against allowedOrigins', async () => {
    const preflight = await fetch(`${ingest.url}/v1/t`, {
      method: 'OPTIONS',
      headers: { origin: 'https://anywhere.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://anywhere.test');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);

    const send = (origin: string, source = web) =>
      post('/v1/t', JSON.stringify({ userId: 'u', event: 'From browser', writeKey: source.key }), {
        origin,
        'content-type': 'text/plain',
      });
    const allowed = await send('https://shop.example.com');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect((await send('https://a.example.org')).status).toBe(200);
    const refused = await send('https://evil.example.net');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: expect.stringContaining('allowedOrigins') });
    // A source with an empty list accepts no browser origin, but servers (no Origin) still send.
    const serverOnly = await createSource('server only');
    expect((await send('https://shop.example.com', serverOnly)).status).toBe(403);
    expect((await post('/v1/t', { userId: 'u', event: 'e', writeKey: serverOnly.key })).status).toBe(200);
  });

  it('never logs the write key, even when a client puts it in the URL', async () => {
    await post(`/v1/track?writeKey=${web.key}`, { userId: 'u', event: 'e' }, { authorization: basic(web.key) });
    await post('/v1/track', '{"broken', { authorization: basic(web.key) });
    await post('/v1/track', { userId: 'u', event: 'e', writeKey: web.key });
    const log = ingest.logs.join('\n');
    expect(log).toContain('/v1/track?writeKey=[redacted]');
    expect(log).not.toContain(web.key);
    expect(log).not.toContain(web.key.split('_').pop());
    // And nothing went wrong on the way: no error lines (a refusal is not an error).
    expect(ingest.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);
  });
});
