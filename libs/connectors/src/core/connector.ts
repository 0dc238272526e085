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
}

/** Process settings connectors need besides the credentials (API origins): global, never per source. */
export type ConnectorSettings = Pick<AppConfig, 'stripe'>;
