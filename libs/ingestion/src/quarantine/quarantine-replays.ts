import type { ReplayPageResult } from '@app/temporal';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { EventStore, type StoreOutcome } from '../event-store';
import { CompiledPlans, type PlanViolation } from '../plan-check';
import type { TrackingEvent } from '../tracking-message';
import { eventFromJson } from './quarantined-event';

export interface ReplayFilter {
  eventName?: string | null;
  violationCode?: string | null;
}

export interface ReplayView {
  id: string;
  sourceId: string;
  workflowId: string;
  status: 'running' | 'completed';
  filter: ReplayFilter;
  scanned: number;
  replayed: number;
  stillQuarantined: number;
  startedAt: Date;
  finishedAt: Date | null;
}

interface ReplayRow {
  id: string;
  source_id: string;
  workflow_id: string;
  status: 'running' | 'completed';
  event_name: string | null;
  violation_code: string | null;
  cursor: string;
  scanned: number;
  replayed: number;
  still_quarantined: number;
  started_at: Date;
  finished_at: Date | null;
}

interface HeldRow {
  id: string;
  event: Record<string, unknown>;
}

/**
 * The ingestion log follows a replayed event (the rows the UPDATE in `moved` marked): one less `quarantined`
 * and one more `accepted` (or `duplicate`, when its messageId was stored meanwhile) in the minute it was first
 * received, in the page's own transaction, so the counts move exactly once.
 */
const MOVE_COUNTS_SQL = `
INSERT INTO ingestion_counters (source_id, minute, status, count)
SELECT $1, date_trunc('minute', m.received_at), d.status, sum(d.delta)
  FROM moved m
  JOIN jsonb_to_recordset($3::jsonb) AS p(id bigint, status text) ON p.id = m.id
 CROSS JOIN LATERAL (VALUES ('quarantined', -1), (p.status, 1)) AS d(status, delta)
 GROUP BY 2, 3 ORDER BY 2, 3
ON CONFLICT (source_id, minute, status) DO UPDATE SET count = ingestion_counters.count + EXCLUDED.count`;

/**
 * Replays of a source's quarantine, page by page (the workflow's activity calls this). A page: re-check its
 * events against the source's current plan, commit the passing ones through the same dedupe+events commit
 * as ingest (a messageId already stored is a duplicate: events land once), then, in one transaction, mark
 * them replayed, refresh the still-failing ones' violations and move the replay's cursor and counts. A
 * retried page (a killed worker) starts from the last committed cursor: counted once, stored once.
 */
@Injectable()
export class QuarantineReplays {
  private readonly plans = new CompiledPlans();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: EventStore,
  ) {}

  async create(id: string, sourceId: string, workflowId: string, filter: ReplayFilter): Promise<void> {
    await this.db.query(
      `INSERT INTO quarantine_replays (id, source_id, workflow_id, event_name, violation_code)
       VALUES ($1, $2, $3, $4, $5)`,
      [id, sourceId, workflowId, filter.eventName ?? null, filter.violationCode ?? null],
    );
  }

  /** Removes a replay whose workflow could not be started. */
  async discard(id: string): Promise<void> {
    await this.db.query(`DELETE FROM quarantine_replays WHERE id = $1 AND scanned = 0`, [id]);
  }

  async get(sourceId: string, id: string): Promise<ReplayView | null> {
    const rows = await this.db.query<ReplayRow[]>('SELECT * FROM quarantine_replays WHERE id = $1 AND source_id = $2', [
      id,
      sourceId,
    ]);
    return rows[0] ? toView(rows[0]) : null;
  }

  async replayPage(replayId: string, pageSize: number): Promise<ReplayPageResult> {
    const [replay] = await this.db.query<ReplayRow[]>('SELECT * FROM quarantine_replays WHERE id = $1', [replayId]);
    if (!replay || replay.status === 'completed') {
      return { done: true, ...counts(replay) };
    }
    const source = await this.sourceNow(replay.source_id);
    if (!source.deleted && source.status !== 'ACTIVE') {
      // Retried by the workflow (every 30 s at most): the replay holds until the source takes events again.
      throw new Error(`Source ${replay.source_id} is ${source.status}: the replay waits until it is resumed`);
    }
    const held = source.deleted ? [] : await this.nextPage(replay, pageSize);
    if (held.length === 0) {
      await this.db.query(`UPDATE quarantine_replays SET status = 'completed', finished_at = now() WHERE id = $1`, [
        replayId,
      ]);
      return { done: true, ...counts(replay) };
    }
    const plan = this.plans.get(replay.source_id, source.plan);
    const passing: { id: string; event: TrackingEvent }[] = [];
    const failing: { id: string; violations: PlanViolation[] }[] = [];
    for (const row of held) {
      const event = eventFromJson(row.event);
      const violations = plan ? plan.check(event) : [];
      if (violations.length > 0 && plan?.mode === 'BLOCK') {
        failing.push({ id: row.id, violations });
      } else {
        passing.push({ id: row.id, event: violations.length > 0 ? { ...event, violations } : event });
      }
    }
    const committed = await this.store.commit(passing.map(({ event }) => ({ sourceId: replay.source_id, event })));
    const outcomes = await this.ownEarlierWrites(replay.source_id, passing, committed);
    const stored = passing.map((p, i) => ({ id: p.id, status: outcomes[i] }));
    const next = await this.db.transaction((em) =>
      this.advance(em, replay, held.at(-1)!.id, stored, failing, plan?.version ?? null),
    );
    return { done: false, ...counts(next) };
  }

  /**
   * A page retried after its events were committed but before its own transaction (a worker killed in
   * between) finds them `duplicate`: they are its own earlier write, and count as accepted. An event stored
   * with the same messageId AND the same receivedAt is that write; a client's resend of the messageId was
   * received at another time, and stays a duplicate.
   */
  private async ownEarlierWrites(
    sourceId: string,
    passing: { event: TrackingEvent }[],
    outcomes: StoreOutcome[],
  ): Promise<StoreOutcome[]> {
    const duplicates = passing.filter((_, i) => outcomes[i] === 'duplicate').map((p) => p.event);
    if (duplicates.length === 0) {
      return outcomes;
    }
    const own = await this.db.query<{ message_id: string }[]>(
      `SELECT e.message_id FROM events e
         JOIN unnest($2::text[], $3::timestamptz[]) AS d(message_id, received_at)
           ON e.message_id = d.message_id AND e.received_at = d.received_at
        WHERE e.source_id = $1`,
      [sourceId, duplicates.map((e) => e.messageId), duplicates.map((e) => e.receivedAt.toISOString())],
    );
    const ids = new Set(own.map((r) => r.message_id));
    return outcomes.map((o, i) => (o === 'duplicate' && ids.has(passing[i].event.messageId) ? 'accepted' : o));
  }

  private nextPage(replay: ReplayRow, pageSize: number): Promise<HeldRow[]> {
    return this.db.query<HeldRow[]>(
      // Ordered by the table's bigint id (q.id), not the selected text: `ORDER BY id` would sort the alias.
      `SELECT q.id::text AS id, q.event FROM quarantined_events q
        WHERE source_id = $1 AND status = 'quarantined' AND q.id > $2
          AND ($3::text IS NULL OR event_name = $3)
          AND ($4::text IS NULL OR violations @> jsonb_build_array(jsonb_build_object('code', $4::text)))
        ORDER BY q.id LIMIT $5`,
      [replay.source_id, replay.cursor, replay.event_name, replay.violation_code, pageSize],
    );
  }

  /**
   * The source as it is now: its status, whether it was deleted (the replay then ends: its purge empties the
   * quarantine), and its plan (null: none stored, which reads as ALLOW).
   */
  private async sourceNow(sourceId: string) {
    const [row] = await this.db.query<
      { status: string; deleted: boolean; plan: Parameters<CompiledPlans['get']>[1] }[]
    >(
      `SELECT status, deleted_at IS NOT NULL AS deleted, tracking_config -> 'trackingPlan' AS plan
         FROM sources WHERE id = $1`,
      [sourceId],
    );
    return row ?? { status: 'ACTIVE', deleted: true, plan: null };
  }

  private async advance(
    em: EntityManager,
    replay: ReplayRow,
    cursor: string,
    passing: { id: string; status: StoreOutcome }[],
    failing: { id: string; violations: PlanViolation[] }[],
    planVersion: number | null,
  ): Promise<ReplayRow> {
    await em.query(
      `WITH moved AS (
         UPDATE quarantined_events SET status = 'replayed', replayed_at = now()
          WHERE source_id = $1 AND id = ANY($2::bigint[]) AND status = 'quarantined'
         RETURNING id, received_at
       )
       ${MOVE_COUNTS_SQL}`,
      [replay.source_id, passing.map((p) => p.id), JSON.stringify(passing)],
    );
    if (failing.length > 0) {
      await em.query(
        `UPDATE quarantined_events q SET violations = f.violations, plan_version = $2
           FROM jsonb_to_recordset($3::jsonb) AS f(id bigint, violations jsonb)
          WHERE q.source_id = $1 AND q.id = f.id`,
        [replay.source_id, planVersion, JSON.stringify(failing)],
      );
    }
    // Guarded by the cursor read at the start: a second attempt of the same page (a zombie) changes nothing.
    const [rows] = await em.query<[ReplayRow[], number]>(
      `UPDATE quarantine_replays
          SET cursor = $3, scanned = scanned + $4, replayed = replayed + $5, still_quarantined = still_quarantined + $6
        WHERE id = $1 AND cursor = $2
        RETURNING *`,
      [replay.id, replay.cursor, cursor, passing.length + failing.length, passing.length, failing.length],
    );
    if (rows.length !== 1) {
      throw new Error(
        `replay ${replay.id} moved on meanwhile (another attempt of the same page); retrying from its cursor`,
      );
    }
    return rows[0];
  }
}

function counts(row: ReplayRow | undefined): Omit<ReplayPageResult, 'done'> {
  return { scanned: row?.scanned ?? 0, replayed: row?.replayed ?? 0, stillQuarantined: row?.still_quarantined ?? 0 };
}

function toView(r: ReplayRow): ReplayView {
  return {
    id: r.id,
    sourceId: r.source_id,
    workflowId: r.workflow_id,
    status: r.status,
    filter: { eventName: r.event_name, violationCode: r.violation_code },
    scanned: r.scanned,
    replayed: r.replayed,
    stillQuarantined: r.still_quarantined,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}
