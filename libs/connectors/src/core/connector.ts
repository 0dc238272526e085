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
  /** Proves the credentials work with one cheap call. */
  checkConnection(signal?: AbortSignal): Promise<void>;
  /** Reads one page of `object` after `cursor` (null = from the start), mapped to records. */
  readPage(object: string, cursor: string | null, signal?: AbortSignal): Promise<Page>;
  /** Present when the app's listings filter on creation time (parallel first syncs). */
  readonly windows?: WindowedListing;
}

/** Process settings connectors need besides the credentials (API origins): global, never per source. */
export type ConnectorSettings = Pick<AppConfig, 'stripe'>;
