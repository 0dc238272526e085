// Payloads exactly as Segment's mobile SDKs send them (test/fixtures/mobile, written from the
// analytics-swift and analytics-kotlin sources: each fixture's `_from` names the files), against the real
// ingest app and Postgres: `/b` batches with the SDKs' own headers and body encodings, screen events, the
// Application Installed/Opened/Backgrounded lifecycle, device context.
import { WorkspacesService } from '@app/auth';
import { SourceEnvironment, SourceKind } from '@app/common';
import { SourcesService, WriteKeysService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startCoreApp } from '../utils/core-app';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { startTestIngest, type TestIngest } from '../utils/ingest';

interface Fixture {
  path: string;
  headers: Record<string, string>;
  gzip: boolean;
  body: { batch: Record<string, any>[]; sentAt: string; writeKey: string };
}

const FIXTURES: [string, SourceKind][] = [
  ['analytics-swift-batch.json', SourceKind.IOS],
  ['analytics-kotlin-batch.json', SourceKind.ANDROID],
];

function load(file: string, writeKey: string): Fixture {
  const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/mobile', file), 'utf8')) as Fixture;
  return { ...fixture, body: { ...fixture.body, writeKey } };
}

describe('mobile SDK payloads (analytics-swift, analytics-kotlin)', () => {
  let core: INestApplicationContext;
  let ingest: TestIngest;
  let workspaceId: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    core = await startCoreApp();
    ingest = await startTestIngest();
    workspaceId = (await core.get(WorkspacesService).create(`Mobile ${randomUUID()}`)).workspace.id;
  });
  afterAll(async () => {
    await ingest?.close();
    await core?.close();
  });

  it.each(FIXTURES)('%s: accepted whole and stored with the identity fields', async (file, kind) => {
    const source = await core.get(SourcesService).create(workspaceId, {
      name: file,
      kind,
      environment: SourceEnvironment.PRODUCTION,
    });
    const key = (await core.get(WriteKeysService).issue(workspaceId, source.id)).secret;
    const fixture = load(file, key);
    const { batch, sentAt } = fixture.body;

    // The SDKs fetch their settings first (cdnHost "<ingest host>/v1" → /v1/projects/<key>/settings).
    const settings = await fetch(`${ingest.url}/v1/projects/${key}/settings`, {
      headers: { 'user-agent': fixture.headers['user-agent'] },
    });
    expect(settings.status).toBe(200);

    const json = Buffer.from(JSON.stringify(fixture.body));
    const res = await fetch(`${ingest.url}${fixture.path}`, {
      method: 'POST',
      headers: fixture.headers,
      body: fixture.gzip ? gzipSync(json) : json,
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { accepted: number; rejected: number; results: { status: string }[] };
    expect({ accepted: answer.accepted, rejected: answer.rejected }).toEqual({ accepted: batch.length, rejected: 0 });

    const rows = await queryTestDb<{
      message_id: string;
      type: string;
      event: string | null;
      user_id: string | null;
      anonymous_id: string | null;
      traits: Record<string, unknown> | null;
      lag_ms: number;
      payload: Record<string, any>;
    }>(
      `SELECT message_id, type, event, user_id, anonymous_id, traits, payload,
              (extract(epoch FROM received_at - "timestamp") * 1000)::int AS lag_ms
         FROM events WHERE source_id = $1 ORDER BY id`,
      [source.id],
    );
    expect(rows.map((r) => [r.message_id, r.type, r.event])).toEqual(
      batch.map((e) => [e.messageId, e.type, e.type === 'track' ? e.event : null]),
    );
    expect(rows.map((r) => r.event)).toEqual(
      expect.arrayContaining(['Application Installed', 'Application Opened', 'Application Backgrounded']),
    );
    // Identity: every event keeps the device's anonymousId; userId once identified ("" means none).
    for (const [row, sent] of rows.map((r, i) => [r, batch[i]] as const)) {
      expect(row.anonymous_id).toBe(sent.anonymousId);
      expect(row.user_id).toBe(sent.userId ? sent.userId : null);
      expect(row.payload.context.device).toEqual(sent.context.device);
      expect(row.payload.context.library).toEqual(sent.context.library);
      // Clock skew corrected from the batch's sentAt: receivedAt − timestamp = sentAt − the device's time.
      expect(row.lag_ms).toBe(Date.parse(sentAt) - Date.parse(sent.timestamp));
    }
    const identify = rows.find((r) => r.type === 'identify');
    expect(identify?.traits).toEqual(batch.find((e) => e.type === 'identify')?.traits);
    const screen = rows.find((r) => r.type === 'screen');
    expect(screen?.payload).toMatchObject({ name: 'Product', category: 'Catalog' });
    expect(JSON.stringify(rows)).not.toContain(key);
  });
});
