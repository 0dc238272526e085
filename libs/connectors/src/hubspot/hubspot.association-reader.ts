import type { Client } from '@hubspot/api-client';
import type { Page } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import { type AssociatedFrom, type AssociationObject, associationRecords } from './hubspot.associations';

// The list endpoint's maximum; a v4 batch read takes up to 1,000 inputs, so one page's ids fit in one read.
const PAGE_SIZE = 100;
// The per-record v4 GET's maximum, for a record whose links the batch read paged.
const LINKS_PAGE_SIZE = 500;

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * One page of the `from` side's live ids (ascending, `after` as the object listing's), and every link of
 * those records to the `to` side from one v4 batch read; records HubSpot pages the links of are read on with
 * the per-record GET. Inputs without links come back as NO_ASSOCIATIONS_FOUND errors of a 207: not a failure.
 */
export async function readAssociationPage(
  hubspot: Client,
  object: AssociationObject,
  cursor: string | null,
  call: Call,
): Promise<Page> {
  const listed = await call(() =>
    hubspot.crm.objects.basicApi.getPage(object.from, PAGE_SIZE, cursor ?? undefined, ['hs_object_id']),
  );
  const nextCursor = listed.paging?.next?.after ?? null;
  if (listed.results.length === 0) {
    return { records: [], nextCursor };
  }
  const linked = await readLinks(
    hubspot,
    object,
    listed.results.map((record) => record.id),
    call,
  );
  return { records: associationRecords(object, linked), nextCursor };
}

/**
 * Every link of the `fromIds` records to the `to` side (ascending by from id): one v4 batch read, and the
 * per-record GET for records whose links the batch read paged.
 */
export async function readLinks(
  hubspot: Client,
  object: AssociationObject,
  fromIds: readonly string[],
  call: Call,
): Promise<AssociatedFrom[]> {
  const answer = await call(() =>
    hubspot.crm.associations.v4.batchApi.getPage(object.from, object.to, {
      inputs: fromIds.map((id) => ({ id })),
    }),
  );
  refuseUnexpectedErrors(answer);
  const linked: AssociatedFrom[] = [];
  for (const result of answer.results) {
    const to = [...result.to];
    for (let after = result.paging?.next?.after; after;) {
      const more = await call(() =>
        hubspot.crm.associations.v4.basicApi.getPage(object.from, result._from.id, object.to, after, LINKS_PAGE_SIZE),
      );
      to.push(...more.results);
      after = more.paging?.next?.after;
    }
    linked.push({ fromId: result._from.id, to });
  }
  return linked.sort((a, b) => Number(a.fromId) - Number(b.fromId));
}

/** A 207's errors other than "no associations" mean links we could not read: retry rather than miss them. */
function refuseUnexpectedErrors(answer: object): void {
  const errors = (answer as { errors?: { subCategory?: unknown; category?: unknown }[] }).errors ?? [];
  const unexpected = errors.filter((e) => e.subCategory !== 'crm.associations.NO_ASSOCIATIONS_FOUND');
  if (unexpected.length > 0) {
    throw new ProviderError(
      'transient',
      `HubSpot could not read ${unexpected.length} association input(s); will retry`,
      'hubspot',
      207,
    );
  }
}
