// The HubSpot B3 baseline: a plain sequential script reading what the connector reads for contacts and their
// companies, with the official client configured as the connector configures it (no retries, no limiter):
// the properties endpoint once, then each page of 100 contacts asked once per property chunk (the connector's
// chunks, merged by id as it merges them), then the contact_companies links (each page of contact ids and one
// v4 batch read of their links). After each page one COPY writes its rows into an empty table with the records
// table's DDL. No Temporal, no hashing, no upsert: the limit the engine is measured against.
import { Client as HubSpot } from '@hubspot/api-client';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { MappedRecord } from '../../libs/connectors/src/core/connector';
import { readLinks } from '../../libs/connectors/src/hubspot/hubspot.association-reader';
import { associationRecords, HUBSPOT_ASSOCIATIONS } from '../../libs/connectors/src/hubspot/hubspot.associations';
import { chunkProperties, type ListedRecord, mergeChunks } from '../../libs/connectors/src/hubspot/hubspot.objects';
import { sleep } from '../lib/harness';
import { BASELINE_TABLE, copyIn } from '../sync/baseline';

export const PAGE_SIZE = 100;
const CONTACT_COMPANIES = HUBSPOT_ASSOCIATIONS.find((a) => a.descriptor.name === 'contact_companies')!;

export interface HubSpotBaselineResult {
  seconds: number;
  /** Time spent waiting for answers (request + JSON parse by the client), pacing included. */
  fetchSeconds: number;
  /** Time spent waiting to stay within the emulator's limits (part of fetchSeconds). */
  pacingSeconds: number;
  /** Time spent in COPY. */
  writeSeconds: number;
  requests: number;
  propertyChunks: number;
  records: { contacts: number; contact_companies: number };
}

/**
 * HubSpot's rolling window as a sequential client keeps to it: at most `max` requests in any `windowMs`.
 * A request counts from when its answer came back, which is after HubSpot counted it: counting from when it
 * was sent let the 191st go out while the first, counted on arrival a moment later, was still in the window.
 */
export class RollingPace {
  private answered: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs = 10_000,
  ) {}

  /** Waits until one more request stays within the window; returns the milliseconds waited. */
  async take(): Promise<number> {
    let waited = 0;
    for (;;) {
      const now = performance.now();
      this.answered = this.answered.filter((at) => at > now - this.windowMs);
      if (this.answered.length < this.max) {
        return waited;
      }
      const wait = this.answered[0] + this.windowMs - now + 1;
      await sleep(wait);
      waited += wait;
    }
  }

  /** The request taken last was answered (or failed) now. */
  answeredNow(): void {
    this.answered.push(performance.now());
  }
}

/** `pace` null: as fast as the emulator answers (its throttling off). */
export async function runHubSpotBaseline(
  db: Client,
  hubspot: HubSpot,
  pace: RollingPace | null,
): Promise<HubSpotBaselineResult> {
  const result: HubSpotBaselineResult = {
    seconds: 0,
    fetchSeconds: 0,
    pacingSeconds: 0,
    writeSeconds: 0,
    requests: 0,
    propertyChunks: 0,
    records: { contacts: 0, contact_companies: 0 },
  };
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    result.pacingSeconds += (pace ? await pace.take() : 0) / 1000;
    result.requests++;
    try {
      return await fn();
    } finally {
      pace?.answeredNow();
      result.fetchSeconds += (performance.now() - started) / 1000;
    }
  };
  const write = async (object: string, rows: MappedRecord[]): Promise<void> => {
    const started = performance.now();
    await copyIn(db, `COPY ${BASELINE_TABLE} (object, external_id, payload) FROM STDIN`, copyText(object, rows));
    result.writeSeconds += (performance.now() - started) / 1000;
    result.records[object as keyof HubSpotBaselineResult['records']] += rows.length;
  };
  const started = performance.now();
  const properties = await call(() => hubspot.crm.properties.coreApi.getAll('contacts', false));
  const chunks = chunkProperties(properties.results.map((property) => property.name).sort());
  result.propertyChunks = chunks.length;
  await forEachPage(call, hubspot, chunks, (records) => write('contacts', mergeChunks(records)));
  await forEachPage(call, hubspot, [['hs_object_id']], async ([listed]) => {
    if (listed.length > 0) {
      const ids = listed.map((record) => record.id);
      const linked = await readLinks(hubspot, CONTACT_COMPANIES, ids, call);
      await write('contact_companies', associationRecords(CONTACT_COMPANIES, linked));
    }
  });
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/** Lists every live contact, each page once per property chunk (all asked for the same `after`). */
async function forEachPage(
  call: Call,
  hubspot: HubSpot,
  chunks: string[][],
  onPage: (answers: ListedRecord[][]) => Promise<void>,
): Promise<void> {
  let after: string | undefined;
  do {
    const answers = [];
    for (const properties of chunks) {
      answers.push(await call(() => hubspot.crm.objects.basicApi.getPage('contacts', PAGE_SIZE, after, properties)));
    }
    await onPage(answers.map((answer) => answer.results as ListedRecord[]));
    after = answers[0].paging?.next?.after;
  } while (after);
}

/** COPY's text format: tab-separated, one row a line; JSON escapes control characters, so only `\` doubles. */
function copyText(object: string, rows: MappedRecord[]): Buffer {
  const lines = rows.map(
    (row) => `${object}\t${row.externalId}\t${JSON.stringify(row.payload).replaceAll('\\', '\\\\')}\n`,
  );
  return Buffer.from(lines.join(''));
}
