// HubSpot's B3: a first sync of N contacts and their company links through the real engine (trigger through
// GraphQL, the real worker, the real `records` table) against the sequential baseline script, with the same
// emulator, limits and Postgres, in the same run.
import { Client as HubSpot } from '@hubspot/api-client';
import { loadavg } from 'node:os';
import { DEFAULT_TOKEN, HUBSPOT_LIMITS, type ThrottleLimits } from '../../emulators/hubspot/src';
import type { RequestRate } from '../../libs/connectors/src/core/request-budget';
import type { BenchContext, RatioCase } from '../lib/harness';
import { round2 } from '../lib/harness';
import { checkpoint, type EngineRun, liveSources, round3, syncThroughEngine } from '../sync/b3';
import { BASELINE_TABLE, recreateBaselineTable } from '../sync/baseline';
import { CREATE_SOURCE, SET_CREDENTIALS, servedUpTo, type SyncStack } from '../sync/stack';
import { type HubSpotBaselineResult, RollingPace, runHubSpotBaseline } from './baseline';

/** What a case syncs: contacts, then their links to companies (the connector syncs associations as objects). */
export const MEASURED_OBJECTS = ['contacts', 'contact_companies'] as const;
type MeasuredObject = (typeof MEASURED_OBJECTS)[number];

export interface HubSpotB3Case extends RatioCase {
  higherIsBetter: true;
  /** Live contacts seeded (about 2 % of those created start archived), their company links, and both. */
  records: Record<MeasuredObject, number> & { total: number };
  /** The emulator's limits during the case; null when its throttling is off. */
  emulatorLimits: ThrottleLimits | null;
  /** The engine's per-portal budget (HUBSPOT_REQUESTS_PER_SECOND, HUBSPOT_REQUEST_BURST). */
  engineBudget: RequestRate;
  /** Each side with the 1-minute load average just before it started (the machine is shared). */
  engine: { seconds: number; loadAverage1m: number; runs: Record<MeasuredObject, EngineRun> };
  baseline: HubSpotBaselineResult & { loadAverage1m: number };
  /** Per object, the engine's records and the baseline table hold exactly the same ids (all live contacts). */
  sameIds: boolean;
}

export interface HubSpotCaseOptions {
  name: string;
  /** Contacts created (with one company per five contacts, most contacts linked to one). */
  contacts: number;
  throttled: boolean;
  engineBudget: RequestRate;
  target: number;
}

export async function runHubSpotCase(
  ctx: BenchContext,
  stack: SyncStack,
  options: HubSpotCaseOptions,
): Promise<HubSpotB3Case> {
  const limits = options.throttled ? HUBSPOT_LIMITS : null;
  ctx.step(`${options.name}: seeding ${options.contacts} contacts, throttling ${limits ? 'on' : 'off'}`);
  await stack.emulator('/reset', { contacts: options.contacts, companies: Math.ceil(options.contacts / 5), deals: 0 });
  await stack.db.query('TRUNCATE records');
  await recreateBaselineTable(stack.db, 'contacts');
  const sourceId = await createHubSpotSource(stack, `bench ${options.name}`);
  await servedUpTo(stack, await liveSources(stack));
  const liveContacts = await emulatorLiveIds(stack, 'contacts');

  ctx.step(`${options.name}: baseline script`);
  await freshSide(stack, limits);
  const baselineLoad = loadavg()[0];
  const hubspot = new HubSpot({ accessToken: DEFAULT_TOKEN, basePath: stack.emulatorUrl });
  const baseline = await runHubSpotBaseline(stack.db, hubspot, limits ? new RollingPace(limits.burst) : null);
  ctx.log(`baseline ${round2(baseline.seconds)} s, ${baseline.requests} requests (${baseline.propertyChunks} chunks)`);

  ctx.step(`${options.name}: engine sync`);
  await freshSide(stack, limits);
  const engineLoad = loadavg()[0];
  const runs = {} as Record<MeasuredObject, EngineRun>;
  for (const object of MEASURED_OBJECTS) {
    runs[object] = await syncThroughEngine(stack, sourceId, object);
    runs[object].seconds = round2(runs[object].seconds);
  }
  const engineSeconds = MEASURED_OBJECTS.reduce((sum, object) => sum + runs[object].seconds, 0);
  ctx.log(`engine ${round2(engineSeconds)} s, runs ${MEASURED_OBJECTS.map((o) => runs[o].status).join(', ')}`);

  const sameIds = await sameIdsBothSides(stack, sourceId, liveContacts);
  const failed = MEASURED_OBJECTS.some((o) => runs[o].status !== 'SUCCEEDED');
  if (failed || !sameIds || baseline.records.contacts !== liveContacts) {
    throw new Error(`${options.name}: results differ: ${JSON.stringify({ runs, baseline, liveContacts, sameIds })}`);
  }
  const ratio = baseline.seconds / engineSeconds;
  const { contacts, contact_companies } = baseline.records;
  return {
    name: options.name,
    higherIsBetter: true,
    ratioDefinition: 'baseline seconds / engine seconds (the same records on both sides)',
    ratio: round3(ratio),
    target: options.target,
    meets: ratio >= options.target,
    records: { contacts, contact_companies, total: contacts + contact_companies },
    emulatorLimits: limits,
    engineBudget: options.engineBudget,
    engine: { seconds: round2(engineSeconds), loadAverage1m: round2(engineLoad), runs },
    baseline: {
      ...baseline,
      seconds: round2(baseline.seconds),
      fetchSeconds: round2(baseline.fetchSeconds),
      pacingSeconds: round2(baseline.pacingSeconds),
      writeSeconds: round2(baseline.writeSeconds),
      loadAverage1m: round2(baselineLoad),
    },
    sameIds,
  };
}

/** A HubSpot source with the emulator's token, through GraphQL as a user would create it. */
async function createHubSpotSource(stack: SyncStack, name: string): Promise<string> {
  const { createSource } = await stack.graphql<{ createSource: { id: string } }>(CREATE_SOURCE, {
    input: { name, kind: 'HUBSPOT', environment: 'PRODUCTION' },
  });
  await stack.graphql(SET_CREDENTIALS, {
    input: { sourceId: createSource.id, hubspot: { accessToken: DEFAULT_TOKEN } },
  });
  return createSource.id;
}

/**
 * Each side starts with the emulator's throttling windows empty (setting the limits clears them), the engine's
 * portal budget full, and no dirty buffers left by the other side.
 */
async function freshSide(stack: SyncStack, limits: ThrottleLimits | null): Promise<void> {
  await stack.emulator('/limits', limits ?? { burst: 0 });
  await stack.db.query(`DELETE FROM request_budgets WHERE account LIKE 'hubspot:%'`);
  await checkpoint(stack);
}

async function emulatorLiveIds(stack: SyncStack, type: string): Promise<number> {
  const response = await fetch(`${stack.emulatorUrl}/_emulator/objects/${type}`);
  if (!response.ok) {
    throw new Error(`emulator objects/${type} answered ${response.status}`);
  }
  return ((await response.json()) as { live: unknown[] }).live.length;
}

/** Per object, the same set of ids on both sides; contacts all the emulator's live ones, and links found. */
async function sameIdsBothSides(stack: SyncStack, sourceId: string, liveContacts: number): Promise<boolean> {
  const { rows } = await stack.db.query<{ object: string; engine: string; baseline: string; differ: string }>(
    `SELECT object,
            count(e.external_id) AS engine,
            count(b.external_id) AS baseline,
            count(*) FILTER (WHERE e.external_id IS NULL OR b.external_id IS NULL) AS differ
     FROM (SELECT object, external_id FROM records WHERE source_id = $1 AND deleted_at IS NULL) e
     FULL JOIN (SELECT object, external_id FROM ${BASELINE_TABLE}) b USING (object, external_id)
     GROUP BY object`,
    [sourceId],
  );
  const byObject = new Map(rows.map((row) => [row.object, row]));
  return MEASURED_OBJECTS.every((object) => {
    const counts = byObject.get(object);
    const expected = object === 'contacts' ? liveContacts : Number(counts?.baseline ?? 0);
    return counts !== undefined && Number(counts.differ) === 0 && expected > 0 && Number(counts.engine) === expected;
  });
}
