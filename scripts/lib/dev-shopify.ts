import { DEFAULT_TOKEN, startShopifyEmulator } from '../../emulators/shopify/src';
import type { ServiceHooks } from './stack';
import { portAnswers } from './wait-for-http';

/** The Shopify emulator's port under `npm run dev`. */
export const DEV_SHOPIFY_PORT = 4244;

/** The Admin API version the dev stack speaks (the emulator's schema). */
const API_VERSION = '2026-01';

/**
 * Runs the Shopify emulator inside this process on `port` with its generated shop (seed 1: a few hundred
 * customers, orders with line items and products with variants) and Shopify's default cost limits; with the port
 * already answering as our emulator (another `npm run dev`), that one is shared as it is. Returns a line for the log.
 */
export async function startShopify(port: number, hooks: ServiceHooks): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  if (await portAnswers(port)) {
    if (await isOurEmulator(url)) {
      return `emulator already running on ${url}: reused`;
    }
    throw new Error(`port ${port} is taken by something that is not the Shopify emulator: free it`);
  }
  const emulator = await startShopifyEmulator({ port });
  hooks.register(() => emulator.close());
  const counts = Object.entries(emulator.state.store.counts())
    .map(([resource, count]) => `${count} ${resource}`)
    .join(', ');
  return `emulator on ${emulator.url} (${counts}; POST /admin/api/${API_VERSION}/graphql.json, X-Shopify-Access-Token ${DEFAULT_TOKEN})`;
}

/**
 * The smoke check: an Admin GraphQL query with the default token answers the shop's domain, a page of customers
 * and the cost extension, and a query that is not valid against the schema is refused.
 */
export async function checkShopify(port: number): Promise<string> {
  const ask = async (query: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/admin/api/${API_VERSION}/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': DEFAULT_TOKEN },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: (await res.json()) as Record<string, never> };
  };
  const good = await ask('{ shop { myshopifyDomain } customers(first: 5) { nodes { id updatedAt } } }');
  const data = good.body.data as { shop?: { myshopifyDomain?: string }; customers?: { nodes?: unknown[] } } | undefined;
  if (
    good.status !== 200 ||
    !data?.shop?.myshopifyDomain ||
    data.customers?.nodes?.length !== 5 ||
    !good.body.extensions
  ) {
    throw new Error(`the Shopify emulator answered HTTP ${good.status} ${JSON.stringify(good.body)}`);
  }
  const bad = await ask('{ customers(first: 1) { nodes { notAField } } }');
  if (bad.status !== 200 || !Array.isArray(bad.body.errors)) {
    throw new Error(
      `the Shopify emulator did not refuse an invalid query: HTTP ${bad.status} ${JSON.stringify(bad.body)}`,
    );
  }
  return data.shop.myshopifyDomain;
}

async function isOurEmulator(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_emulator`, { signal: AbortSignal.timeout(2000) });
    return res.ok && 'shop' in ((await res.json()) as object);
  } catch {
    return false;
  }
}
