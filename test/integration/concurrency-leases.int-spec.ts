// Per-account slots of long provider jobs in Postgres (libs/sync concurrency-leases.service.ts), and the Shopify
// bulk reader holding one of its shop's slots per job: seven reads of one shop at once never make the emulator
// refuse a job for the 5-per-shop limit, because the sixth and seventh wait for a slot instead.
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ConcurrencyLeases } from '@app/sync';
import type { AdminApiClient } from '@shopify/admin-api-client';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/src';
import {
  type ShopifyFetchFile,
  ShopifyBulkReader,
  type ShopifyRequest,
} from '../../libs/connectors/src/shopify/shopify.bulk';
import { decodeBulkCursor } from '../../libs/connectors/src/shopify/shopify.bulk-cursor';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { shopifyClient } from '../utils/shopify-emulator';
import { testConfig } from '../utils/test-config';

describe('ConcurrencyLeases (Postgres) and the Shopify bulk reader holding its shop’s slots', () => {
  let context: INestApplicationContext;
  let sut: ConcurrencyLeases;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(testConfig()), DatabaseModule],
      providers: [ConcurrencyLeases],
    }).compile();
    context = await moduleRef.init();
    sut = context.get(ConcurrencyLeases);
  });
  afterAll(() => context?.close());

  it('grants exactly `limit` slots to many takers racing for one scope', async () => {
    const scope = randomUUID();
    const takers = Array.from({ length: 40 }, (_, i) => `lease-${i}`);
    // Opens the pool's connections first, so the takers below really run side by side.
    await Promise.all(takers.map((lease) => sut.acquire(randomUUID(), lease, 1)));
    const granted = await Promise.all(takers.map((lease) => sut.acquire(scope, lease, 3)));
    expect(granted.filter(Boolean)).toHaveLength(3);
    expect(await queryTestDb('SELECT lease FROM concurrency_leases WHERE scope = $1', [scope])).toHaveLength(3);
  });

  it('grants at most `limit` live leases per scope, renews a held one, and frees released and lapsed ones', async () => {
    const [scope, other] = [randomUUID(), randomUUID()];
    expect(await Promise.all(['a', 'b', 'c'].map((lease) => sut.acquire(scope, lease, 2)))).toEqual(
      expect.arrayContaining([true, true, false]),
    );
    const held = await queryTestDb<{ lease: string }>('SELECT lease FROM concurrency_leases WHERE scope = $1', [scope]);
    expect(held).toHaveLength(2);
    const [first, second] = held.map((row) => row.lease);
    const waiting = ['a', 'b', 'c'].find((lease) => lease !== first && lease !== second)!;
    expect(await sut.acquire(scope, first, 2)).toBe(true); // a renewal, not a third slot
    expect(await sut.acquire(other, waiting, 2)).toBe(true); // scopes are apart
    expect(await sut.acquire(scope, waiting, 2)).toBe(false);
    await sut.release(scope, first);
    expect(await sut.acquire(scope, waiting, 2, 100)).toBe(true);
    expect(await sut.acquire(scope, 'd', 2)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 150)); // `waiting`'s 100 ms lease lapses unrenewed
    expect(await sut.acquire(scope, 'd', 2)).toBe(true);
  });

  describe('with the Shopify emulator', () => {
    let emulator: ShopifyEmulator;
    let client: AdminApiClient;
    const refusals: string[] = [];
    const fetchFile: ShopifyFetchFile = (url, signal) => fetch(url.replace(/^https:/, 'http:'), { signal });
    const request: ShopifyRequest = async <T>(
      query: string,
      variables?: Record<string, unknown>,
      signal?: AbortSignal,
    ) => {
      const { data, errors } = await client.request(query, { variables, signal });
      if (errors) {
        throw new Error(`GraphQL errors: ${JSON.stringify(errors)}`);
      }
      const codes = (data as { bulkOperationRunQuery?: { userErrors: { code: string }[] } }).bulkOperationRunQuery
        ?.userErrors;
      refusals.push(...(codes ?? []).map((error) => error.code));
      return data as T;
    };

    beforeAll(async () => {
      emulator = await startShopifyEmulator({ limits: false, bulk: { startDelayMs: 20, durationMs: 300 } });
      client = shopifyClient(emulator);
    });
    afterAll(() => emulator.close());

    it('starts a sixth and seventh read only when a slot frees: Shopify never refuses one, and every read completes', async () => {
      const scope = `shopify:${randomUUID()}`;
      const slots = sut.slots(scope, 5);
      const read = async () => {
        const reader = new ShopifyBulkReader(request, fetchFile, { slots, pollIntervalMs: 20, maxWaitMs: 5_000 });
        let cursor: string | null = null;
        let count = 0;
        do {
          const page = await reader.readPage('customers', cursor);
          count += page.records.length;
          cursor = page.nextCursor;
        } while (cursor !== null);
        return count;
      };
      const counts = await Promise.all(Array.from({ length: 7 }, read));
      expect(counts).toEqual(Array(7).fill(emulator.state.store.count('customers')));
      expect(refusals).toEqual([]);
      // Every job gave its slot back as it finished.
      expect(await queryTestDb('SELECT lease FROM concurrency_leases WHERE scope = $1', [scope])).toEqual([]);
    });

    it('keeps a running job’s slot in its cursor, so a new reader resuming the job renews it and then frees it', async () => {
      const scope = `shopify:${randomUUID()}`;
      const options = { slots: sut.slots(scope, 5), pollIntervalMs: 20 };
      const first = await new ShopifyBulkReader(request, fetchFile, { ...options, maxWaitMs: 0 }).readPage(
        'customers',
        null,
      );
      expect(first.records).toEqual([]);
      const { lease } = decodeBulkCursor(first.nextCursor!, 'customers');
      const rows = () =>
        queryTestDb<{ lease: string }>('SELECT lease FROM concurrency_leases WHERE scope = $1', [scope]);
      expect(await rows()).toEqual([{ lease }]);
      const resumed = new ShopifyBulkReader(request, fetchFile, { ...options, maxWaitMs: 5_000 });
      const page = await resumed.readPage('customers', first.nextCursor);
      expect(page.records).toHaveLength(emulator.state.store.count('customers'));
      expect(await rows()).toEqual([]);
    });
  });
});
