import type { AppConfig } from '@app/config';
import { Writable } from 'node:stream';
import { startWorkerApp, type WorkerApp } from '../../apps/worker/src/create-worker-app';
import { startHubSpotEmulator, type HubSpotEmulator, type HubSpotEmulatorOptions } from '../../emulators/hubspot/src';
import { startShopifyEmulator, type ShopifyEmulator, type ShopifyEmulatorOptions } from '../../emulators/shopify/src';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/src';
import { startTestApi, type TestApi } from './api';
import { migrateFresh, requiredEnv, truncateAll } from './database';
import { gql } from './gql';

export interface SyncStack {
  api: TestApi;
  /** Absent when the test runs the worker as a separate process. */
  worker?: WorkerApp;
  /** The in-process worker's JSON log lines. */
  workerLogs: string[];
  stripe: StripeEmulator;
  /** Present when the test asked for it (`hubspot` option). */
  hubspot?: HubSpotEmulator;
  shopify?: ShopifyEmulator;
  token: string;
  /** Runs a GraphQL operation as the workspace admin and fails the test on any error. */
  call(query: string, variables?: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

/** Real api + real worker (in-process) + Stripe emulator, on the test Postgres and Temporal. */
export async function startSyncStack(
  options: {
    customers?: number;
    restrictedKeys?: string[];
    workerEnv?: Record<string, string>;
    /** Extra configuration for the api (e.g. SOURCE_PURGE_GRACE_SECONDS). */
    apiEnv?: Record<string, string>;
    inProcessWorker?: boolean;
    /** Starts the HubSpot emulator too (HUBSPOT_API_BASE_URL points at it). */
    hubspot?: Omit<HubSpotEmulatorOptions, 'port'>;
    /** Starts the Shopify emulator too (SHOPIFY_API_BASE_URL points at it). */
    shopify?: Omit<ShopifyEmulatorOptions, 'port'>;
  } = {},
): Promise<SyncStack> {
  await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
  await truncateAll(requiredEnv('TEST_DATABASE_URL'));
  const stripe = await startStripeEmulator({
    port: 0,
    customers: options.customers ?? 250,
    restrictedKeys: options.restrictedKeys,
  });
  const hubspot = options.hubspot ? await startHubSpotEmulator({ ...options.hubspot, port: 0 }) : undefined;
  const shopify = options.shopify ? await startShopifyEmulator({ ...options.shopify, port: 0 }) : undefined;
  const env = {
    STRIPE_API_BASE_URL: stripe.url,
    ...(hubspot ? { HUBSPOT_API_BASE_URL: hubspot.url } : {}),
    ...(shopify ? { SHOPIFY_API_BASE_URL: shopify.url } : {}),
    TEMPORAL_ADDRESS: requiredEnv('TEST_TEMPORAL_ADDRESS'),
    WORKER_RECONCILE_INTERVAL_SECONDS: '30',
  };
  const api = await startTestApi({ ...env, ...options.apiEnv });
  const workerLogs: string[] = [];
  const worker =
    options.inProcessWorker === false
      ? undefined
      : await startWorkerApp(workerConfig(api.config, options.workerEnv), lineSink(workerLogs));
  const token = (await api.createWorkspace('Sync')).adminToken;
  const call = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const res = await gql(api.url, query, variables, token);
    if (res.errors) {
      throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    }
    return res.data;
  };
  return {
    api,
    worker,
    workerLogs,
    stripe,
    hubspot,
    shopify,
    token,
    call,
    close: async () => {
      await worker?.stop();
      await api.close();
      await stripe.close();
      await hubspot?.close();
      await shopify?.close();
    },
  };
}

/** Collects JSON log lines, one per entry. */
function lineSink(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
}

function workerConfig(apiConfig: AppConfig, overrides: Record<string, string> = {}): AppConfig {
  return { ...apiConfig, worker: { ...apiConfig.worker, ...numbers(overrides) } };
}

function numbers(overrides: Record<string, string>): Partial<AppConfig['worker']> {
  return Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, Number(v)]));
}

/** Polls `probe` until it returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
