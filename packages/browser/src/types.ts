/** Which interactions the SDK records by itself; the source's settings decide unless `load` overrides. */
export interface AutocaptureSettings {
  pageViews: boolean;
  clicks: boolean;
  formSubmits: boolean;
}

export interface LoadOptions {
  /** Ingest origin (scheme://host[:port]); defaults to where the script was loaded from. */
  host?: string;
  /** Overrides of the source's autocapture settings (fetched from ingest unless all three are given). */
  autocapture?: Partial<AutocaptureSettings>;
  /** Cookie domain for the anonymous id, e.g. `.example.com` to share it across subdomains. */
  cookieDomain?: string;
  /** Inactivity after which a session ends (minutes, default 30; fractions allowed). */
  sessionTimeoutMinutes?: number;
  /** When true, nothing is stored or sent until `consent(true)`. */
  requireConsent?: boolean;
  /** Milliseconds between sends of queued events (default 1000). */
  flushIntervalMs?: number;
  /** Events that trigger an immediate send (default 20). */
  flushAt?: number;
}

export type Properties = Record<string, unknown>;

/** Per-call options: extra context, a timestamp, integrations, as Segment's spec has them. */
export interface CallOptions {
  context?: Properties;
  timestamp?: string | Date;
  integrations?: Record<string, unknown>;
  anonymousId?: string;
}

/** One message as it goes over the wire (Segment spec fields). */
export interface Message {
  type: 'identify' | 'track' | 'page' | 'group' | 'alias';
  messageId: string;
  timestamp: string;
  anonymousId: string;
  userId?: string;
  context: Properties;
  [field: string]: unknown;
}
