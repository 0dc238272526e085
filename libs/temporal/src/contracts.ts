// Workflow names and payload shapes shared by the api (which starts workflows by name) and the worker.
// Payloads hold ids, cursors and options only — never records or secrets (they persist in history).

/** The sync workflow new runs start (engine v2). */
export const SYNC_WORKFLOW = 'syncSourceObject';
/** Engine v1: still registered so runs started before engine v2 complete; nothing starts it any more. */
export const SYNC_WORKFLOW_V1 = 'syncCloudApp';
export const CHECK_CONNECTION_WORKFLOW = 'checkSourceConnection';

export type SyncModeName = 'FULL_REFRESH';

export interface SyncWorkflowInput {
  sourceId: string;
  object: string;
  /** Ignored: the run decides its mode (full refresh or incremental) and records why. Kept for callers. */
  mode?: SyncModeName;
  /** Set when the workflow continues as new: the run keeps its row and counts. */
  syncRunId?: string;
  /** Milliseconds a page may wait for the source's queue to be served before the run checks who serves it. */
  queueWaitMs?: number;
  /** Engine v1 only: pages per workflow run before continuing as new (default 500); tests lower it. */
  pagesPerRun?: number;
  /** Engine v2: pages one activity reads at most (default 200); tests lower it. */
  pagesPerBatch?: number;
  /** Engine v2: activities per workflow run before continuing as new (default 200); tests lower it. */
  batchesPerRun?: number;
  /** The page activity's heartbeat timeout in milliseconds (default 30 s); tests lower it. */
  heartbeatTimeoutMs?: number;
  /**
   * Engine v2: `created` windows a first sync reads at once (SYNC_FIRST_SYNC_SLICES; the bench and tests
   * set it). Absent or 1: one listing. Later syncs are one listing whatever it says.
   */
  slices?: number;
}

export interface SyncWorkflowResult {
  syncRunId: string;
  pages: number;
}

export interface CheckConnectionInput {
  sourceId: string;
  /** How long the check waits for the source's queue to be served before giving up. */
  scheduleToStartTimeoutMs: number;
}

export interface CheckConnectionResult {
  ok: boolean;
  /** What the admin should know or do, in our words. */
  message: string;
  /** The provider's error code, when it gave one. */
  providerCode?: string;
}

export const PURGE_SOURCE_WORKFLOW = 'purgeSource';

export interface PurgeSourceInput {
  sourceId: string;
  /** Wait before deleting anything (restoreSource cancels the workflow meanwhile); 0 = at once. */
  graceSeconds: number;
  /** Rows per DELETE; the default suits production, tests lower it to exercise several batches. */
  batchSize?: number;
  /** Carried over continue-as-new: rows deleted by earlier runs. */
  rowsDeleted?: number;
}

export interface PurgeSourceResult {
  purged: boolean;
  /** Why nothing was deleted (e.g. the source was restored), when purged is false. */
  reason?: string;
  rowsDeleted: number;
}

/**
 * One verified, deduplicated event of a cloud app's webhook delivery (apps/ingest, any app): only ids cross
 * into Temporal, never the body.
 */
export const WEBHOOK_EVENT_WORKFLOW = 'applyWebhookEvent';

export interface WebhookEventInput {
  sourceId: string;
  /** The app's id of the event (what ingest deduplicated). */
  eventId: string;
  /** What the connector reads the change back by (`changes.readChange`); the event id when absent. */
  changeId?: string;
}

/**
 * The Stripe-only workflow that preceded applyWebhookEvent (issue 9): still registered so runs started before
 * the change finish; ingest starts applyWebhookEvent now.
 */
export const STRIPE_EVENT_WORKFLOW = 'applyStripeEvent';

export type StripeEventInput = Pick<WebhookEventInput, 'sourceId' | 'eventId'>;
