// The Shopify baselines' client: the official @shopify/admin-api-client configured as the connector configures it
// (createShopifyClient: retries off, the emulator's origin), sending one request at a time. With throttling on it
// paces itself by Shopify's own figures (CostPace), and a THROTTLED answer (HTTP 200) is waited out and sent again.
import { performance } from 'node:perf_hooks';
import { DEFAULT_SHOP, DEFAULT_TOKEN } from '../../emulators/shopify/src';
import {
  createShopifyClient,
  type ShopifyExchange,
  type ShopifyRequest,
} from '../../libs/connectors/src/shopify/shopify.client';
import type { ShopifyCost } from '../../libs/connectors/src/shopify/shopify.errors';
import { sleep } from '../lib/harness';

/** What the client did, for the case's figures. */
export interface ClientCounts {
  requests: number;
  /** Answers THROTTLED (sent again after waiting): 0 when the pacing kept within the bucket. */
  throttled: number;
  /** Waiting for answers, pacing included. */
  fetchSeconds: number;
  /** Waiting to stay within the bucket (part of fetchSeconds). */
  pacingSeconds: number;
  /** Sum of requestedQueryCost and of actualQueryCost over the answers. */
  pointsRequested: number;
  pointsCharged: number;
}

interface Level {
  available: number;
  maximum: number;
  restoreRate: number;
  /** When the answer reporting it came back (performance.now()). */
  at: number;
}

/**
 * A sequential client keeping within a shop's leaky bucket from `extensions.cost.throttleStatus`: after each answer
 * it knows the bucket's level, size and restore rate; before a query it waits until the bucket, refilled at that
 * rate since, holds the query's requested cost. The level is taken as of the answer's arrival, a little after
 * Shopify measured it, so the estimate errs on the side of waiting.
 */
export class CostPace {
  private level: Level | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Milliseconds to wait before sending a query of `cost` points (0 before the first answer). */
  waitMs(cost: number): number {
    if (!this.level) {
      return 0;
    }
    const { available, maximum, restoreRate, at } = this.level;
    const need = Math.min(cost, maximum);
    const current = Math.min(maximum, available + ((this.now() - at) / 1000) * restoreRate);
    return current >= need ? 0 : Math.ceil(((need - current) / restoreRate) * 1000);
  }

  /** Takes in the bucket's state as an answer (throttled or not) reported it. */
  answered(cost: ShopifyCost | undefined): void {
    const status = cost?.throttleStatus;
    const { currentlyAvailable, maximumAvailable, restoreRate } = status ?? {};
    if (
      typeof currentlyAvailable === 'number' &&
      typeof maximumAvailable === 'number' &&
      typeof restoreRate === 'number' &&
      restoreRate > 0
    ) {
      this.level = { available: currentlyAvailable, maximum: maximumAvailable, restoreRate, at: this.now() };
    }
  }
}

/** A THROTTLED answer is waited out this many times before the baseline gives up (the pacing should avoid any). */
const MAX_THROTTLED = 20;

/**
 * The baseline's request function over the official client (the ShopifyRequest/ShopifyExchange the connector's
 * readers take). `pace` null: as fast as the emulator answers (its throttling off).
 */
export function baselineClient(
  emulatorUrl: string,
  pace: CostPace | null,
): { request: ShopifyRequest; exchange: ShopifyExchange; counts: ClientCounts } {
  const client = createShopifyClient(DEFAULT_SHOP, DEFAULT_TOKEN, emulatorUrl);
  const counts: ClientCounts = {
    requests: 0,
    throttled: 0,
    fetchSeconds: 0,
    pacingSeconds: 0,
    pointsRequested: 0,
    pointsCharged: 0,
  };
  // Each query's requested cost as Shopify last reported it (a query is sent blind the first time).
  const costs = new Map<string, number>();
  const exchange = async <T>(query: string, variables?: Record<string, unknown>) => {
    const started = performance.now();
    try {
      for (let throttled = 0; ; throttled++) {
        const waitMs = pace?.waitMs(costs.get(query) ?? 0) ?? 0;
        if (waitMs > 0) {
          await sleep(waitMs);
          counts.pacingSeconds += waitMs / 1000;
        }
        counts.requests++;
        const answer = await client.request<T>(query, { variables });
        const cost = answer.extensions?.cost;
        pace?.answered(cost);
        costs.set(query, cost?.requestedQueryCost ?? 0);
        const code = answer.errors?.graphQLErrors?.[0]?.extensions?.code;
        if (code === 'THROTTLED' && throttled < MAX_THROTTLED) {
          counts.throttled++;
          // Unpaced (no figures to go by): wait a second; paced, the next turn waits for the bucket.
          await (pace ? Promise.resolve() : sleep(1000));
          continue;
        }
        counts.pointsRequested += cost?.requestedQueryCost ?? 0;
        counts.pointsCharged += cost?.actualQueryCost ?? 0;
        if (answer.errors || answer.data === undefined) {
          throw new Error(`the Shopify baseline's query failed: ${JSON.stringify(answer.errors ?? 'no data')}`);
        }
        return { data: answer.data, headers: answer.headers };
      }
    } finally {
      counts.fetchSeconds += (performance.now() - started) / 1000;
    }
  };
  const request = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> =>
    (await exchange<T>(query, variables)).data;
  return { request, exchange, counts };
}
