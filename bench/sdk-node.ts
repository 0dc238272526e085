// `npm run bench -- sdk-node`: issue 12's Node SDK figure. Events/s from @tributary/node (batching on:
// flushAt 100, maxInFlight = the concurrency) to a local ingest process, divided by a plain client that
// posts the same events as /v1/batch of 100 with the same HTTP client (global fetch) at the same
// concurrency. Same run, rounds alternating (A B B A …), each side's events/s over all its rounds.
// BENCH_SDK_NODE_EVENTS (default 20,000) per round, BENCH_SDK_NODE_ROUNDS (default 6), concurrency 8.
import { loadConfig } from '@app/config';
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../scripts/lib/free-port';
import { cpuMs } from './ingest/load';
import { startChild } from './ingest/processes';
import {
  type Bench,
  type BenchContext,
  type MachineFacts,
  type RatioCase,
  machineFacts,
  positiveFromEnv,
  round2,
} from './lib/harness';
import { startServers } from './lib/servers';
import { countEvents, createSource } from './sdk-node/setup';

const CONCURRENCY = 8;
const BATCH = 100;
const TARGET = 0.9;

interface SideResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU of this (client) process per event: the SDK's own cost shows here. */
  clientCpuUsPerEvent: number;
  /** CPU of the ingest process per event. */
  ingestCpuUsPerEvent: number;
}

interface SdkNodeCase extends RatioCase {
  higherIsBetter: true;
  sdk: SideResult;
  plain: SideResult;
}

export interface SdkNodeBenchResult {
  bench: 'sdk-node';
  date: string;
  machine: MachineFacts;
  node: string;
  concurrency: number;
  batchSize: number;
  eventsPerRound: number;
  rounds: number;
  storedRows: number;
  sides: Record<string, string>;
  cases: SdkNodeCase[];
}

export const sdkNodeBench: Bench<SdkNodeBenchResult> = {
  name: 'sdk-node',
  description: 'issue 12: Node SDK events/s (batching on) vs a plain /v1/batch-of-100 client, same concurrency',
  timeLimitMs: 15 * 60_000,
  run: runSdkNodeBench,
};

/** The same call as both sides send it (the SDK adds type, messageId, timestamp and context itself). */
const call = (n: number) => ({
  userId: `user-${n % 97}`,
  event: 'Order Completed',
  properties: { orderId: `o-${n}`, total: 42.5, currency: 'EUR', items: 3 },
});

type Side = (events: number) => Promise<void>;
type Sdk = typeof import('../packages/node/src');

/** The SDK as published: built now (packages/node/build.mjs) and loaded from dist/cjs. */
function builtSdk(): Sdk {
  const dir = join(__dirname, '..', 'packages', 'node');
  execFileSync(process.execPath, [join(dir, 'build.mjs')], { stdio: 'inherit' });
  return require(join(dir, 'dist', 'cjs', 'index.js')) as Sdk;
}

function sdkSide({ Tributary }: Sdk, host: string, writeKey: string): Side {
  return async (events) => {
    const sdk = new Tributary({ writeKey, host, flushAt: BATCH, maxInFlight: CONCURRENCY, maxQueueSize: events });
    let notStored = 0;
    sdk.on('result', (r) => (notStored += r.status === 'accepted' ? 0 : 1));
    for (let n = 0; n < events; n++) {
      void sdk.track(call(n));
      if (n % BATCH === BATCH - 1) {
        // A batch's worth of calls, then the event loop: as a server makes calls while its requests run.
        // Without it all the round's calls are made before the first byte goes out, and ingest idles
        // for that long (the plain side builds each batch just before sending it, too).
        await new Promise(setImmediate);
      }
    }
    await sdk.close();
    if (notStored > 0) {
      throw new Error(`the SDK side had ${notStored} calls not accepted`);
    }
  };
}

function plainSide(host: string, writeKey: string): Side {
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const library = { name: 'plain', version: '1' };
  return async (events) => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < events) {
        const from = next;
        const to = Math.min(events, from + BATCH);
        next = to;
        const batch = [];
        for (let n = from; n < to; n++) {
          const timestamp = new Date().toISOString();
          batch.push({ ...call(n), type: 'track', messageId: randomUUID(), timestamp, context: { library } });
        }
        const res = await fetch(`${host}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
        });
        const body = (await res.json()) as { accepted?: number };
        if (res.status !== 200 || body.accepted !== to - from) {
          throw new Error(`plain client: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };
}

async function measure(side: Side, events: number, ingestPid: number): Promise<Omit<SideResult, 'eventsPerSecond'>> {
  const cpu = process.cpuUsage();
  const ingestBefore = cpuMs(ingestPid);
  const started = performance.now();
  await side(events);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    events,
    seconds,
    clientCpuUsPerEvent: (used.user + used.system) / events,
    ingestCpuUsPerEvent: ((cpuMs(ingestPid) - ingestBefore) * 1000) / events,
  };
}

function total(runs: Omit<SideResult, 'eventsPerSecond'>[]): SideResult {
  const events = runs.reduce((s, r) => s + r.events, 0);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const weighted = (key: 'clientCpuUsPerEvent' | 'ingestCpuUsPerEvent') =>
    round2(runs.reduce((s, r) => s + r[key] * r.events, 0) / events);
  return {
    events,
    seconds: round2(seconds),
    eventsPerSecond: Math.round(events / seconds),
    clientCpuUsPerEvent: weighted('clientCpuUsPerEvent'),
    ingestCpuUsPerEvent: weighted('ingestCpuUsPerEvent'),
  };
}

async function runSdkNodeBench(ctx: BenchContext): Promise<SdkNodeBenchResult> {
  const loadAverageAtStart = loadavg().map(round2);
  const eventsPerRound = positiveFromEnv('BENCH_SDK_NODE_EVENTS', 20_000);
  const rounds = positiveFromEnv('BENCH_SDK_NODE_ROUNDS', 6);
  ctx.step('building @tributary/node');
  const sdk = builtSdk();
  ctx.step('starting PostgreSQL and Temporal');
  const servers = await startServers(ctx);
  const env = {
    DATABASE_URL: servers.databaseUrl,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_ACTIVE_KEY: 'v1',
    LOG_LEVEL: 'warn',
  };
  ctx.step('creating a NODEJS source and its write key through GraphQL');
  const writeKey = await createSource(loadConfig({ ...env, NODE_ENV: 'production', API_PORT: '0' }));
  ctx.step('starting ingest (child process)');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ingest = await startChild(
    ctx,
    'ingest',
    ['apps/ingest/src/main.ts'],
    { ...env, NODE_ENV: 'production', INGEST_PORT: String(port), INGEST_HOST: '127.0.0.1' },
    url,
  );
  const pid = ingest.child.pid ?? 0;
  const sides = { sdk: sdkSide(sdk, url, writeKey), plain: plainSide(url, writeKey) };
  ctx.step('warming up both sides');
  await sides.sdk(2_000);
  await sides.plain(2_000);
  const runs: Record<'sdk' | 'plain', Omit<SideResult, 'eventsPerSecond'>[]> = { sdk: [], plain: [] };
  for (let round = 0; round < rounds; round++) {
    const order: ('sdk' | 'plain')[] = round % 2 === 0 ? ['sdk', 'plain'] : ['plain', 'sdk'];
    for (const side of order) {
      ctx.step(`round ${round + 1}/${rounds}: ${side}`);
      runs[side].push(await measure(sides[side], eventsPerRound, pid));
    }
  }
  const sdkResult = total(runs.sdk);
  const plain = total(runs.plain);
  const ratio = round2(sdkResult.eventsPerSecond / plain.eventsPerSecond);
  ctx.log(`SDK ${sdkResult.eventsPerSecond} events/s, plain ${plain.eventsPerSecond} events/s: ratio ${ratio}`);
  return {
    bench: 'sdk-node',
    date: new Date().toISOString(),
    machine: machineFacts(loadAverageAtStart),
    node: process.version,
    concurrency: CONCURRENCY,
    batchSize: BATCH,
    eventsPerRound,
    rounds,
    storedRows: await countEvents(servers.databaseUrl),
    sides: {
      sdk: `packages/node built (dist/cjs) Tributary: track() per event, yielding to the event loop every ${BATCH} calls, flushAt ${BATCH}, maxInFlight ${CONCURRENCY}, close() awaited; every result accepted`,
      plain: `${CONCURRENCY} workers posting /v1/batch of ${BATCH} with global fetch (the same calls, messageId and timestamp added); every item accepted`,
      ingest: 'apps/ingest/src/main.ts as its own process (NODE_ENV production), embedded PostgreSQL',
      order:
        'rounds alternate which side goes first (A B B A …); each side is its events over its seconds in all rounds',
    },
    cases: [
      {
        name: `Node SDK vs plain /v1/batch of ${BATCH}, concurrency ${CONCURRENCY}`,
        higherIsBetter: true,
        ratioDefinition: 'SDK events/s ÷ plain client events/s',
        ratio,
        target: TARGET,
        meets: ratio >= TARGET,
        sdk: sdkResult,
        plain,
      },
    ],
  };
}
