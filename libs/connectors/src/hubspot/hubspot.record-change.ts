import type { Client } from '@hubspot/api-client';
import type { ChangeVersion, RecordChange } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget } from '../core/request-budget';
import { callHubSpot } from './hubspot.client';
import { chunkProperties, type ListedRecord, mergeChunks } from './hubspot.objects';
import { readLinks } from './hubspot.association-reader';
import { associationRecords, HUBSPOT_ASSOCIATIONS } from './hubspot.associations';
import { versionAt as searchVersionAt } from './hubspot.search-pass';
import { type HubSpotChangeId, parseHubSpotChangeId } from './hubspot.webhook-events';

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * One webhook event's change (hubspot.webhook-events.ts), read back from HubSpot by id:
 * - a record (`<object>:<objectId>:<occurredAt>`) with all its properties, as it is now, versioned by its
 *   modification time so an older state never overwrites a newer one whatever order events arrive in; one
 *   HubSpot no longer serves live (archived, merged away, purged) is a delete, versioned by its archive time
 *   or the event's;
 * - a link (`<association object>:<fromId>:<toId>:<occurredAt>`): the `from` record's links to the `to`
 *   side as they are now, and the named pair deleted when it is no longer among them; versioned by the event.
 */
export async function readRecordChange(
  hubspot: Client,
  budget: RequestBudget,
  id: string,
  signal?: AbortSignal,
): Promise<{ object: string; change: RecordChange }[]> {
  const named = parseHubSpotChangeId(id);
  if (!named) {
    throw new ProviderError('invalid', `"${id.slice(0, 80)}" is not a HubSpot change id`, 'hubspot');
  }
  const call: Call = (fn) => callHubSpot(budget, fn, signal);
  return named.kind === 'record'
    ? [{ object: named.object, change: await readRecord(hubspot, call, named) }]
    : readLink(hubspot, call, named);
}

async function readRecord(
  hubspot: Client,
  call: Call,
  { object, objectId, occurredAt }: Extract<HubSpotChangeId, { kind: 'record' }>,
): Promise<RecordChange> {
  const properties = await call(() => hubspot.crm.properties.coreApi.getAll(object, false));
  const chunks = chunkProperties(properties.results.map((property) => property.name).sort());
  const live = await readById(hubspot, call, object, objectId, chunks, false);
  if (live) {
    return { ...live, deleted: false, version: versionAt(Date.parse(String(live.payload.updatedAt))) };
  }
  const archived = await readById(hubspot, call, object, objectId, chunks, true);
  const archivedAt = typeof archived?.payload.archivedAt === 'string' ? Date.parse(archived.payload.archivedAt) : NaN;
  return {
    externalId: objectId,
    payload: archived?.payload ?? { id: objectId, archived: true },
    deleted: true,
    version: versionAt(Number.isFinite(archivedAt) ? archivedAt : occurredAt, true),
  };
}

async function readLink(
  hubspot: Client,
  call: Call,
  { object, fromId, toId, occurredAt }: Extract<HubSpotChangeId, { kind: 'association' }>,
): Promise<{ object: string; change: RecordChange }[]> {
  const association = HUBSPOT_ASSOCIATIONS.find((a) => a.descriptor.name === object)!;
  const current = associationRecords(association, await readLinks(hubspot, association, [fromId], call));
  const changes: RecordChange[] = current.map((record) => ({
    ...record,
    deleted: false,
    version: versionAt(occurredAt),
  }));
  const pair = `${fromId}-${toId}`;
  if (!current.some((record) => record.externalId === pair)) {
    const [gone] = associationRecords(association, [{ fromId, to: [{ toObjectId: toId, associationTypes: [] }] }]);
    changes.push({ ...gone, deleted: true, version: versionAt(occurredAt, true) });
  }
  return changes.map((change) => ({ object, change }));
}

/** The record by id with every property (chunks merged), live or archived; null when HubSpot has none. */
async function readById(
  hubspot: Client,
  call: Call,
  object: string,
  objectId: string,
  chunks: string[][],
  archived: boolean,
): Promise<{ externalId: string; payload: Record<string, unknown> } | null> {
  const answers: ListedRecord[][] = [];
  for (const properties of chunks) {
    // A missing id is a 207 with an OBJECT_NOT_FOUND error beside the (empty) results, not a failure.
    const answer = await call(() =>
      hubspot.crm.objects.batchApi.read(
        object,
        { inputs: [{ id: objectId }], properties, propertiesWithHistory: [] },
        archived,
      ),
    );
    answers.push(answer.results);
  }
  const [record] = mergeChunks(answers);
  if (!record) {
    return null;
  }
  const archivedAt = answers[0]?.[0] && (answers[0][0] as { archivedAt?: Date }).archivedAt;
  return archivedAt instanceof Date
    ? { ...record, payload: { ...record.payload, archived: true, archivedAt: archivedAt.toISOString() } }
    : record;
}

/** The change log's version (hubspot.search-pass.ts), so webhooks and searches compare; refuses a missing time. */
function versionAt(ms: number, archived = false): ChangeVersion {
  if (!Number.isFinite(ms)) {
    throw new ProviderError('transient', 'HubSpot answered a record without its modification time', 'hubspot');
  }
  return searchVersionAt(ms, archived);
}
