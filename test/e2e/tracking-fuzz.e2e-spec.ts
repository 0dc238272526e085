// 1,000 malformed bodies at the real ingest app: random JSON, wrong types, huge strings, deep nesting,
// invalid UTF-8, wrong content types and encodings. None may get a 5xx or take the process down.
import { WorkspacesService } from '@app/auth';
import { SourceEnvironment, SourceKind } from '@app/common';
import { SourcesService, WriteKeysService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { gzipSync } from 'node:zlib';
import { startCoreApp } from '../utils/core-app';
import { migrateFresh, requiredEnv } from '../utils/database';
import { startTestIngest, type TestIngest } from '../utils/ingest';

/** mulberry32: a seeded generator, so a failure replays. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  path: string;
  body: Buffer;
  headers: Record<string, string>;
}

function fuzzCases(key: string, seed: number, count: number): Case[] {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const paths = [
    '/v1/track',
    '/v1/identify',
    '/v1/page',
    '/v1/screen',
    '/v1/group',
    '/v1/alias',
    '/v1/batch',
    '/v1/b',
    '/v1/t',
  ];
  const scalar = (): unknown =>
    pick([null, true, false, 0, -1, 1e308, 'x', '', '\u0000', '\ud800', '😀', 'x'.repeat(int(40_000)), [], {}]);
  const value = (depth: number): unknown => {
    if (depth > 3 || rnd() < 0.4) {
      return scalar();
    }
    if (rnd() < 0.5) {
      return Array.from({ length: int(4) }, () => value(depth + 1));
    }
    return Object.fromEntries(
      Array.from({ length: int(5) }, () => [
        pick([
          'userId',
          'anonymousId',
          'event',
          'type',
          'messageId',
          'timestamp',
          'sentAt',
          'traits',
          'context',
          'batch',
          'properties',
          'groupId',
          'previousId',
          '__proto__',
          'constructor',
        ]),
        value(depth + 1),
      ]),
    );
  };
  const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v) ?? 'null');
  const kinds: (() => Omit<Case, 'path'>)[] = [
    () => ({ body: json(value(0)), headers: { 'content-type': 'application/json' } }),
    () => ({ body: json({ batch: Array.from({ length: int(20) }, () => value(1)), context: value(2) }), headers: {} }),
    () => ({
      body: Buffer.from(Array.from({ length: int(2000) }, () => int(256))),
      headers: { 'content-type': 'application/json' },
    }),
    () => ({ body: Buffer.from('['.repeat(1 + int(200_000)) + ']'.repeat(int(3))), headers: {} }),
    () => {
      const depth = 100 + int(50_000);
      return {
        body: Buffer.from(`{"userId":"u","event":"e","properties":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
        headers: {},
      };
    },
    // A valid event carrying one odd value (NUL, lone surrogate, huge string…) somewhere.
    () => ({
      body: json({
        userId: 'u',
        anonymousId: 'a',
        event: 'e',
        groupId: 'g',
        previousId: 'p',
        properties: { p: scalar() },
        traits: { [String(scalar())]: 1 },
      }),
      headers: {},
    }),
    () => ({
      body: Buffer.concat([Buffer.from('{"userId":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","event":"e"}')]),
      headers: {},
    }),
    () => ({
      body: json({ userId: 'u', event: 'e' }),
      headers: { 'content-type': pick(['application/xml', 'multipart/form-data', 'image/png', 'text/html']) },
    }),
    () => ({
      body: Buffer.from(Array.from({ length: 64 }, () => int(256))),
      headers: { 'content-encoding': pick(['gzip', 'deflate', 'br', 'zstd']) },
    }),
    () => ({
      body: gzipSync(Buffer.from('{"batch":[' + '{"type":"track"},'.repeat(int(5000)) + '{}]}')),
      headers: { 'content-encoding': 'gzip' },
    }),
    () => ({
      body: json({
        userId: value(3),
        anonymousId: value(3),
        event: value(3),
        timestamp: value(3),
        sentAt: value(3),
        messageId: value(3),
      }),
      headers: {},
    }),
  ];
  return Array.from({ length: count }, () => {
    const made = pick(kinds)();
    const auth: Record<string, string> =
      rnd() < 0.85 ? { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` } : {};
    return { path: pick(paths), body: made.body, headers: { ...auth, ...made.headers } };
  });
}

describe('tracking API fuzz', () => {
  let core: INestApplicationContext;
  let ingest: TestIngest;
  let key: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    core = await startCoreApp();
    ingest = await startTestIngest();
    const { workspace } = await core.get(WorkspacesService).create('Fuzz');
    const source = await core.get(SourcesService).create(workspace.id, {
      name: 'fuzz',
      kind: SourceKind.HTTP_API,
      environment: SourceEnvironment.DEVELOPMENT,
    });
    key = (await core.get(WriteKeysService).issue(workspace.id, source.id)).secret;
  });
  afterAll(async () => {
    await ingest?.close();
    await core?.close();
  });

  it('answers 1,000 malformed bodies without a 5xx, and stays healthy', async () => {
    const cases = fuzzCases(key, 20261201, 1_000);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (let i = 0; i < cases.length; i += 8) {
      await Promise.all(
        cases.slice(i, i + 8).map(async (c, j) => {
          const res = await fetch(`${ingest.url}${c.path}`, { method: 'POST', headers: c.headers, body: c.body });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) {
            failures.push(`case ${i + j} ${c.path} → ${res.status} ${text.slice(0, 200)}`);
          }
        }),
      );
    }
    expect(failures).toEqual([]);
    // Non-vacuous: the run reached the pipeline (200s) and its refusals (400, 401, 413, 415).
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 401, 413, 415]));
    expect((await fetch(`${ingest.url}/health/ready`)).status).toBe(200);
  }, 180_000);
});
