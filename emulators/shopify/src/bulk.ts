// Bulk query operations (cloud-apis.md §3.4): accepted by bulkOperationRunQuery within the per-shop concurrency of
// the serving version (1 before 2026-01, 5 from it), then CREATED → RUNNING → COMPLETED or FAILED as the emulator
// clock passes `startDelayMs` and `durationMs`. At completion the query runs over whole listings and its result
// becomes JSONL served by the emulator. Injected failures end a job FAILED with an error code and, if some rows
// were written, a `partialDataUrl`. Every finish is reported (the bulk_operations/finish webhook).
import { gid, iso } from './records';

export type BulkStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED';
export type BulkErrorCode = 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT';

export interface BulkOperation {
  id: number;
  query: string;
  status: BulkStatus;
  errorCode: BulkErrorCode | null;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  /** The JSONL written (complete, or the partial data of a failed job). */
  jsonl: string | null;
  scopes: readonly string[];
  fault?: BulkFault;
}

export interface BulkTiming {
  /** Emulator ms from creation to RUNNING. */
  startDelayMs: number;
  /** Emulator ms from RUNNING to the end. */
  durationMs: number;
}

export interface BulkFault {
  errorCode: BulkErrorCode;
  /** JSONL lines written before the failure (0: no partial data). */
  afterObjects: number;
}

export interface BulkResult {
  jsonl: string;
  objectCount: number;
  rootObjectCount: number;
  /** Set when the query itself failed (a missing scope, a search the backend rejects). */
  errorCode?: BulkErrorCode;
}

export const DEFAULT_BULK_TIMING: BulkTiming = { startDelayMs: 50, durationMs: 250 };
const RESULT_TTL_MS = 7 * 86_400_000;

/** What the shop saw of bulk jobs since the last reset: how many ran at once at most, and refusals for the limit. */
export interface BulkStats {
  created: number;
  maxRunning: number;
  refused: number;
}

export class BulkOperations {
  timing: BulkTiming;
  stats: BulkStats = { created: 0, maxRunning: 0, refused: 0 };
  private readonly operations = new Map<number, BulkOperation>();
  private readonly faults: (BulkFault & { count: number })[] = [];
  private nextId = 4_412_000_001;

  constructor(
    private readonly deps: {
      nowMs(): number;
      baseUrl(): string;
      run(operation: BulkOperation): BulkResult;
      finished(operation: BulkOperation): void;
    },
    timing: Partial<BulkTiming> = {},
  ) {
    this.timing = { ...DEFAULT_BULK_TIMING, ...timing };
  }

  /** How many query jobs may run at once on the serving version (1 before 2026-01, 5 from it). */
  static concurrency(version: string): number {
    return version === 'unstable' || version >= '2026-01' ? 5 : 1;
  }

  running(): BulkOperation[] {
    return [...this.operations.values()].filter((op) => ['CREATED', 'RUNNING', 'CANCELING'].includes(op.status));
  }

  create(query: string, scopes: readonly string[]): BulkOperation {
    const operation: BulkOperation = {
      id: this.nextId++,
      query,
      status: 'CREATED',
      errorCode: null,
      createdAt: this.deps.nowMs(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      jsonl: null,
      scopes,
      fault: this.takeFault(),
    };
    this.operations.set(operation.id, operation);
    this.stats.created++;
    this.stats.maxRunning = Math.max(this.stats.maxRunning, this.running().length);
    return operation;
  }

  /** Every job since the last reset, oldest first. */
  list(): BulkOperation[] {
    return [...this.operations.values()];
  }

  cancel(id: number): BulkOperation | undefined {
    const operation = this.operations.get(id);
    if (operation && (operation.status === 'CREATED' || operation.status === 'RUNNING')) {
      operation.status = 'CANCELING';
    }
    return operation;
  }

  addFault(fault: BulkFault, count: number): void {
    this.faults.push({ ...fault, count });
  }

  pendingFaults(): (BulkFault & { count: number })[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Moves every job along the emulator clock; called by a timer and before every API request. */
  tick(): void {
    const now = this.deps.nowMs();
    for (const operation of this.running()) {
      const started = operation.createdAt + this.timing.startDelayMs;
      if (operation.status === 'CANCELING') {
        this.finish(operation, 'CANCELED', now);
      } else if (now >= started + this.timing.durationMs) {
        this.complete(operation, now);
      } else if (now >= started) {
        operation.status = 'RUNNING';
      }
    }
  }

  get(id: number): BulkOperation | undefined {
    return this.operations.get(id);
  }

  /** The newest operation (of `type`: only QUERY jobs exist here). */
  current(type: string): unknown {
    if (type !== 'QUERY') {
      return null;
    }
    const newest = [...this.operations.values()].at(-1);
    return newest ? this.view(newest.id) : null;
  }

  view(id: number): unknown {
    const operation = this.operations.get(id);
    if (!operation) {
      return null;
    }
    const done = operation.status === 'COMPLETED' || operation.status === 'FAILED';
    const file = done && operation.jsonl ? `${this.deps.baseUrl()}/bulk-results/${operation.id}.jsonl` : null;
    return {
      __typename: 'BulkOperation',
      id: gid('BulkOperation', operation.id),
      status: operation.status,
      errorCode: operation.errorCode,
      createdAt: iso(operation.createdAt),
      completedAt: operation.completedAt === null ? null : iso(operation.completedAt),
      objectCount: String(operation.objectCount),
      rootObjectCount: String(operation.rootObjectCount),
      fileSize: !operation.jsonl || !done ? null : String(Buffer.byteLength(operation.jsonl)),
      url: operation.status === 'COMPLETED' ? file : null,
      partialDataUrl: operation.status === 'FAILED' ? file : null,
      query: operation.query,
      type: 'QUERY',
    };
  }

  /** The JSONL of a finished job while its URL is valid (7 days on the emulator clock). */
  file(id: number): { jsonl: string } | { expired: true } | undefined {
    const operation = this.operations.get(id);
    if (!operation?.jsonl || operation.completedAt === null) {
      return undefined;
    }
    return this.deps.nowMs() > operation.completedAt + RESULT_TTL_MS ? { expired: true } : { jsonl: operation.jsonl };
  }

  clear(): void {
    this.operations.clear();
    this.faults.length = 0;
    this.stats = { created: 0, maxRunning: 0, refused: 0 };
  }

  private complete(operation: BulkOperation, now: number): void {
    const result = this.deps.run(operation);
    const fault = operation.fault;
    const errorCode = result.errorCode ?? fault?.errorCode;
    if (errorCode) {
      const lines = fault ? result.jsonl.split('\n').filter(Boolean).slice(0, fault.afterObjects) : [];
      operation.errorCode = errorCode;
      operation.objectCount = lines.length;
      operation.rootObjectCount = lines.filter((line) => !line.includes('"__parentId"')).length;
      operation.jsonl = lines.length > 0 ? `${lines.join('\n')}\n` : null;
      this.finish(operation, 'FAILED', now);
      return;
    }
    operation.objectCount = result.objectCount;
    operation.rootObjectCount = result.rootObjectCount;
    operation.jsonl = result.jsonl;
    this.finish(operation, 'COMPLETED', now);
  }

  private finish(operation: BulkOperation, status: BulkStatus, now: number): void {
    operation.status = status;
    operation.completedAt = now;
    this.deps.finished(operation);
  }

  private takeFault(): BulkFault | undefined {
    const head = this.faults[0];
    if (!head) {
      return undefined;
    }
    head.count--;
    if (head.count <= 0) {
      this.faults.shift();
    }
    return { errorCode: head.errorCode, afterObjects: head.afterObjects };
  }
}
