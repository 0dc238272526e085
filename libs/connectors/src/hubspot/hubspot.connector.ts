import { SourceKind } from '@app/common';
import type { Client } from '@hubspot/api-client';
import type { ChangeLog, Connector, ObjectDescriptor, Page } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget } from '../core/request-budget';
import { callHubSpot, createHubSpotClient } from './hubspot.client';
import { readAssociationPage } from './hubspot.association-reader';
import { HubSpotChangeLog } from './hubspot.change-log';
import { HUBSPOT_ASSOCIATIONS } from './hubspot.associations';
import { chunkProperties, HUBSPOT_OBJECTS, type ListedRecord, mergeChunks } from './hubspot.objects';

// The list endpoint's maximum (400 above).
const PAGE_SIZE = 100;

/** The CRM objects, then their associations (synced after them by the source's schedule). */
export const HUBSPOT_SYNCED_OBJECTS: ObjectDescriptor[] = [
  ...HUBSPOT_OBJECTS,
  ...HUBSPOT_ASSOCIATIONS.map((a) => a.descriptor),
];

export class HubSpotConnector implements Connector {
  readonly kind = SourceKind.HUBSPOT;
  // Property names per object, read once per connector (a run): they change rarely, and a page asks for all.
  private readonly propertyChunks = new Map<string, Promise<string[][]>>();
  /** Incremental runs of contacts, companies and deals: CRM search and the archived listing. */
  readonly changes: ChangeLog;

  constructor(
    private readonly hubspot: Client,
    private readonly budget: RequestBudget,
  ) {
    this.changes = new HubSpotChangeLog(hubspot, budget, (object, signal) => this.chunksOf(object, signal));
  }

  listObjects(): ObjectDescriptor[] {
    return HUBSPOT_SYNCED_OBJECTS;
  }

  /** Reads each object and its properties once, so a 403 names the first scope the token lacks. */
  async checkConnection(signal?: AbortSignal): Promise<void> {
    for (const { name } of HUBSPOT_OBJECTS) {
      await callHubSpot(this.budget, () => this.hubspot.crm.objects.basicApi.getPage(name, 1), signal);
      await callHubSpot(this.budget, () => this.hubspot.crm.properties.coreApi.getAll(name, false), signal);
    }
  }

  /** One page of live records with all their properties (asked in chunks, merged by id); ascending ids. */
  async readPage(object: string, cursor: string | null, signal?: AbortSignal): Promise<Page> {
    const association = HUBSPOT_ASSOCIATIONS.find((a) => a.descriptor.name === object);
    if (association) {
      return readAssociationPage(this.hubspot, association, cursor, (fn) => callHubSpot(this.budget, fn, signal));
    }
    const chunks = await this.chunksOf(this.descriptor(object).name, signal);
    const answers = [];
    for (const properties of chunks) {
      answers.push(
        await callHubSpot(
          this.budget,
          () => this.hubspot.crm.objects.basicApi.getPage(object, PAGE_SIZE, cursor ?? undefined, properties),
          signal,
        ),
      );
    }
    const [first] = answers;
    return {
      records: mergeChunks(answers.map((answer) => answer.results as ListedRecord[])),
      // The first chunk's paging decides the page; later chunks asked for the same `after`.
      nextCursor: first?.paging?.next?.after ?? null,
    };
  }

  private descriptor(object: string): ObjectDescriptor {
    const descriptor = HUBSPOT_OBJECTS.find((o) => o.name === object);
    if (!descriptor) {
      throw new ProviderError('invalid', `HubSpot has no object "${object}" here`, 'hubspot');
    }
    return descriptor;
  }

  private chunksOf(object: string, signal?: AbortSignal): Promise<string[][]> {
    let chunks = this.propertyChunks.get(object);
    if (!chunks) {
      chunks = callHubSpot(this.budget, () => this.hubspot.crm.properties.coreApi.getAll(object, false), signal).then(
        (answer) => chunkProperties(answer.results.map((property) => property.name).sort()),
      );
      // A failed read is asked again next time, not cached.
      chunks.catch(() => this.propertyChunks.delete(object));
      this.propertyChunks.set(object, chunks);
    }
    return chunks;
  }
}

/** The connector for one source: its token, the API origin every HubSpot source shares, its portal's budget. */
export function createHubSpotConnector(accessToken: string, apiBaseUrl: string, budget: RequestBudget): Connector {
  return new HubSpotConnector(createHubSpotClient(accessToken, apiBaseUrl), budget);
}
