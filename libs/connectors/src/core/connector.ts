import type { SourceKind } from '@app/common';
import type { AppConfig } from '@app/config';

/** An object a connector can sync, with its primary key and the field its change cursor follows. */
export interface ObjectDescriptor {
  name: string;
  primaryKey: string;
  cursorField: string;
}

/** One record as we store it: the external id and the provider's payload. */
export interface MappedRecord {
  externalId: string;
  payload: Record<string, unknown>;
}

export interface Page {
  records: MappedRecord[];
  /** Cursor for the next page; null when this was the last page. */
  nextCursor: string | null;
}

/** Records created in [gte, lt) (seconds since the epoch); null = no bound on that side. */
export interface CreatedWindow {
  gte: number | null;
  lt: number | null;
}

/**
 * Listings that can be filtered by creation time (Stripe's `created[gte|lt]`), so a first sync can read
 * several windows of one listing at once (libs/sync slices).
 */
export interface WindowedListing {
  /** The oldest and newest `created` of `object`'s listing (approximate oldest), or null when it is empty. */
  createdRange(object: string, signal?: AbortSignal): Promise<{ oldest: number; newest: number } | null>;
  /** Like readPage, within `window` only. */
  readWindowPage(object: string, window: CreatedWindow, cursor: string | null, signal?: AbortSignal): Promise<Page>;
}

/**
 * The contract every cloud app implements (one folder per app). Methods throw ProviderError for
 * anything the provider refused; the activity boundary turns that into Temporal retry decisions.
 */
export interface Connector {
  readonly kind: SourceKind;
  listObjects(): ObjectDescriptor[];
  /**
   * Proves the credentials work with one cheap call. Resolves with a note when they work with a limitation
   * the admin should know (Shopify without read_all_orders sees 60 days of orders).
   */
  checkConnection(signal?: AbortSignal): Promise<string | void>;
  /**
   * Reads one page of `object` after `cursor` (null = from the start), mapped to records. `runId` names the sync
   * run reading (the same across its batches and retries; a new run may continue a failed run's cursor), so a
   * connector that retries the provider itself can give each run its own budget.
   */
  readPage(object: string, cursor: string | null, signal?: AbortSignal, runId?: string): Promise<Page>;
  /** Present when the app's listings filter on creation time (parallel first syncs). */
  readonly windows?: WindowedListing;
  /** The provider's change log (Stripe: /v1/events), when it has one: incremental syncs read it. */
  readonly changes?: ChangeLog;
}

/**
 * A point in the provider's change log: a change's time (provider clock, unix seconds) and its id. Versions
 * compare by time, then id (bytewise); a later version is newer.
 */
export interface ChangeVersion {
  at: number;
  /** Null: no change at all yet at `at` (a position taken from the provider's clock). */
  id: string | null;
}

/** One record as a change left it: its payload after the change, or as it was when deleted. */
export interface RecordChange {
  externalId: string;
  payload: Record<string, unknown>;
  deleted: boolean;
  version: ChangeVersion;
}

export interface ChangePage {
  /** Oldest first. */
  changes: RecordChange[];
  /** The newest change this page covered (also of unrelated objects' filtered types); null if none. */
  position: ChangeVersion | null;
  /** Where to read on; null when this page reached the newest change. */
  nextCursor: string | null;
}

/** A provider's log of changes, read oldest first from a saved position. */
export interface ChangeLog {
  /**
   * Whether the log holds `object`'s changes (absent: every object's). An object it does not cover is listed
   * in full on every run, which also finds its deletes.
   */
  covers?(object: string): boolean;
  /** The newest change now, or the provider's clock when there is none: recorded before a full listing. */
  head(signal?: AbortSignal): Promise<ChangeVersion>;
  /**
   * Null when every change after `position` can still be read; otherwise why not (the provider keeps
   * changes for a limited time, judged by its own clock).
   */
  gap(position: ChangeVersion, signal?: AbortSignal): Promise<string | null>;
  /** Changes to `object` after `position` (a lookback overlap included), from `cursor` (null: start). */
  readChanges(
    object: string,
    position: ChangeVersion,
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<ChangePage>;
  /** One change by id (a webhook delivery), as it touches each object. */
  readChange(id: string, signal?: AbortSignal): Promise<{ object: string; change: RecordChange }[]>;
}

/** Process settings connectors need besides the credentials (API origins): global, never per source. */
export type ConnectorSettings = Pick<AppConfig, 'stripe' | 'hubspot' | 'shopify'>;
