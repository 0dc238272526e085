import type { Client } from '@hubspot/api-client';
import type { ChangeLog, ChangePage, ChangeVersion, MappedRecord, RecordChange } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget, RequestKind } from '../core/request-budget';
import { callHubSpot } from './hubspot.client';
import { classifyHubSpotError } from './hubspot.errors';
import { HUBSPOT_OBJECTS, type ListedRecord, mergeChunks } from './hubspot.objects';
import { readRecordChange } from './hubspot.record-change';
import {
  afterSearchPage,
  type ChangeCursor,
  decodeCursor,
  encodeCursor,
  searchRequest,
  versionAt,
} from './hubspot.search-pass';

// HubSpot's search index trails its writes (cloud-apis.md §2.3; Airbyte added a lookback for it, #69203): a
// record modified shortly before a run's head may be invisible to that run's search. Each run searches from
// this long before its saved position; a record read again as it was is the same version and changes nothing.
export const LOOKBACK_SECONDS = 5 * 60;
// The list endpoint's maximum (archived listing).
const LIST_PAGE_SIZE = 100;
// A batch read takes up to 100 inputs; a search page holds up to 200 records.
const BATCH_READ_SIZE = 100;
// Any valid token may read it, whatever its scopes: the cheapest answer that carries HubSpot's clock.
const CLOCK_PATH = '/account-info/v3/details';

type SearchBody = Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1];
type ChunksOf = (object: string, signal?: AbortSignal) => Promise<string[][]>;

/**
 * HubSpot's changes, read per object in two passes from a saved position (see ChangeCursor): the CRM search
 * for records modified since (all properties: the first chunk with the search, the rest by batch read,
 * merged by id), then the archived listing for records archived since, as deletes (search never returns
 * archived records). Pages carry no position: both passes go by id, so a position taken mid-pass would skip
 * records of lower ids not yet read; the run's position moves to the head recorded before it read (HubSpot's
 * clock at the start of the pass) when the run completes. Associations are not covered: see `covers`.
 */
export class HubSpotChangeLog implements ChangeLog {
  constructor(
    private readonly hubspot: Client,
    private readonly budget: RequestBudget,
    private readonly chunksOf: ChunksOf,
  ) {}

  /**
   * Contacts, companies and deals. Unlinking two records archives nothing and leaves both unmodified, so
   * association objects have no change to search for: their runs list them in full (which marks removed links
   * deleted).
   */
  covers(object: string): boolean {
    return HUBSPOT_OBJECTS.some((o) => o.name === object);
  }

  /** HubSpot's clock (its Date header): whole seconds, no change id (search results carry none). */
  async head(signal?: AbortSignal): Promise<ChangeVersion> {
    const response = await this.call(() => this.hubspot.apiRequest({ method: 'GET', path: CLOCK_PATH }), signal);
    const body = await response.text();
    if (!response.ok) {
      throw classifyHubSpotError({ code: response.status, body: parseJson(body) });
    }
    const date = Date.parse(response.headers.get('date') ?? '');
    if (Number.isNaN(date)) {
      throw new ProviderError('transient', 'HubSpot answered without a Date header; will retry', 'hubspot');
    }
    return { at: Math.floor(date / 1000), id: null };
  }

  /** Search reaches every record whatever its age, and the archived listing every archive: nothing is lost. */
  gap(): Promise<string | null> {
    return Promise.resolve(null);
  }

  async readChanges(
    object: string,
    position: ChangeVersion,
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<ChangePage> {
    if (!this.covers(object)) {
      throw new ProviderError('invalid', `HubSpot's change log does not cover "${object}"`, 'hubspot');
    }
    const at: ChangeCursor = cursor
      ? decodeCursor(cursor)
      : { phase: 'search', sinceMs: (position.at - LOOKBACK_SECONDS) * 1000, afterId: null };
    return at.phase === 'search' ? this.searchPage(object, at, signal) : this.archivedPage(object, at, signal);
  }

  readChange(id: string, signal?: AbortSignal): Promise<{ object: string; change: RecordChange }[]> {
    return readRecordChange(this.hubspot, this.budget, id, signal);
  }

  private async searchPage(
    object: string,
    at: ChangeCursor & { phase: 'search' },
    signal?: AbortSignal,
  ): Promise<ChangePage> {
    const [first = [], ...rest] = await this.chunksOf(object, signal);
    const request = searchRequest(object, at, first) as unknown as SearchBody;
    const answer = await this.call(
      () => this.hubspot.crm.objects.searchApi.doSearch(object, request),
      signal,
      'search',
    );
    const ids = answer.results.map((record) => record.id);
    const chunks: ListedRecord[][] = [answer.results];
    for (const properties of rest) {
      chunks.push(await this.batchRead(object, ids, properties, signal));
    }
    // A record archived between the search and a batch read is left out here; the archived pass deletes it.
    const changes = mergeChunks(chunks).map((record) => changeOf(record, false));
    return { changes: oldestFirst(changes), position: null, nextCursor: encodeCursor(afterSearchPage(at, answer)) };
  }

  private async archivedPage(
    object: string,
    at: ChangeCursor & { phase: 'archived' },
    signal?: AbortSignal,
  ): Promise<ChangePage> {
    const { basicApi } = this.hubspot.crm.objects;
    const after = at.after ?? undefined;
    const page = await this.call(
      () => basicApi.getPage(object, LIST_PAGE_SIZE, after, undefined, undefined, undefined, true),
      signal,
    );
    // The listing holds every archived record ever: only those archived since the position are changes.
    const changes = page.results
      .filter((record) => archivedMs(record) >= at.sinceMs)
      .map((record) => changeOf(archivedRecord(record), true));
    const next = page.paging?.next?.after;
    return {
      changes: oldestFirst(changes),
      position: null,
      nextCursor: next ? encodeCursor({ ...at, after: next }) : null,
    };
  }

  /** `properties` of `ids` (live ones; a 207 names those archived meanwhile), by batches of 100. */
  private async batchRead(object: string, ids: string[], properties: string[], signal?: AbortSignal) {
    const records: ListedRecord[] = [];
    for (let i = 0; i < ids.length; i += BATCH_READ_SIZE) {
      const inputs = ids.slice(i, i + BATCH_READ_SIZE).map((id) => ({ id }));
      const answer = await this.call(
        () => this.hubspot.crm.objects.batchApi.read(object, { inputs, properties, propertiesWithHistory: [] }, false),
        signal,
      );
      refuseUnexpectedErrors(answer);
      records.push(...answer.results);
    }
    return records;
  }

  /** One request within the portal's budget; searches also within HubSpot's per-second search limit. */
  private call<T>(fn: () => Promise<T>, signal?: AbortSignal, kind?: RequestKind): Promise<T> {
    return callHubSpot(this.budget, fn, signal, kind);
  }
}

type ArchivedRecord = ListedRecord & { archivedAt?: Date };

function archivedMs(record: ArchivedRecord): number {
  // HubSpot stamps archivedAt; archiving also moves updatedAt, the fallback should it be missing.
  return (record.archivedAt ?? record.updatedAt).getTime();
}

function archivedRecord(record: ArchivedRecord): MappedRecord {
  const [mapped] = mergeChunks([[record]]);
  return {
    externalId: mapped.externalId,
    payload: { ...mapped.payload, archived: true, archivedAt: new Date(archivedMs(record)).toISOString() },
  };
}

/** A modified record versioned by its modification time; an archived one by its archive time. */
function changeOf(record: MappedRecord, deleted: boolean): RecordChange {
  const time = deleted ? record.payload.archivedAt : record.payload.updatedAt;
  return { ...record, deleted, version: versionAt(Date.parse(String(time)), deleted) };
}

function oldestFirst(changes: RecordChange[]): RecordChange[] {
  return changes.sort((a, b) => a.version.at - b.version.at || compare(a.version.id ?? '', b.version.id ?? ''));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A 207's errors other than "not found" (archived meanwhile) mean records we could not read: retry. */
function refuseUnexpectedErrors(answer: object): void {
  const errors = (answer as { errors?: { category?: unknown }[] }).errors ?? [];
  const unexpected = errors.filter((e) => e.category !== 'OBJECT_NOT_FOUND');
  if (unexpected.length > 0) {
    throw new ProviderError(
      'transient',
      `HubSpot could not read ${unexpected.length} batch input(s); will retry`,
      'hubspot',
      207,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
