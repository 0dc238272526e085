/**
 * A limit on how many long-running provider jobs of one kind run at once on one account (Shopify: 5 bulk queries
 * per shop from 2026-01), shared by every source and worker on it (libs/sync keeps it in Postgres). The engine binds
 * it to the account and the limit; a connector names each job's hold by a lease id it keeps in its cursor, so a
 * worker that resumes the job renews the same hold. A hold lapses after the engine's lease time unless renewed, so a
 * dead worker's slot comes back by itself.
 */
export interface ConcurrencySlots {
  /** Takes a slot for `lease`, or renews the one it holds: false when every slot is held by other leases. */
  acquire(lease: string): Promise<boolean>;
  /** Gives the slot back (nothing when `lease` holds none). */
  release(lease: string): Promise<void>;
}
