import { DomainException } from '@app/common';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PlanViolation } from '../plan-check';
import type { ReplayFilter } from './quarantine-replays';

export interface QuarantinedEvent {
  id: string;
  messageId: string;
  type: string;
  eventName: string | null;
  status: 'quarantined' | 'replayed';
  violations: PlanViolation[];
  planVersion: number;
  receivedAt: Date;
  replayedAt: Date | null;
  expiresAt: Date;
  /** The whole event as it was received (normalised). */
  event: Record<string, unknown>;
}

export interface QuarantinePage {
  items: QuarantinedEvent[];
  cursors: string[];
  hasNextPage: boolean;
}

interface Row {
  id: string;
  message_id: string;
  type: string;
  event_name: string | null;
  status: 'quarantined' | 'replayed';
  violations: PlanViolation[];
  plan_version: number;
  received_at: Date;
  replayed_at: Date | null;
  expires_at: Date;
  event: Record<string, unknown>;
}

/** A source's quarantine, newest first (keyset on id). The caller checked the source is the actor's. */
@Injectable()
export class QuarantineReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async newest(
    sourceId: string,
    first: number,
    after: string | null | undefined,
    filter: ReplayFilter,
  ): Promise<QuarantinePage> {
    const rows = await this.db.query<Row[]>(
      // Ordered by the bigint q.id: `ORDER BY id` would sort the selected text alias ('10' before '9').
      `SELECT q.id::text AS id, message_id, type, event_name, status, violations, plan_version, received_at, replayed_at,
              expires_at, event
         FROM quarantined_events q
        WHERE source_id = $1 AND ($2::bigint IS NULL OR q.id < $2)
          AND ($3::text IS NULL OR event_name = $3)
          AND ($4::text IS NULL OR violations @> jsonb_build_array(jsonb_build_object('code', $4::text)))
        ORDER BY q.id DESC LIMIT $5`,
      [
        sourceId,
        after ? decodeQuarantineCursor(after) : null,
        filter.eventName ?? null,
        filter.violationCode ?? null,
        first + 1,
      ],
    );
    const items = rows.slice(0, first).map(toEvent);
    return {
      items,
      cursors: items.map((e) => Buffer.from(`q:${e.id}`).toString('base64url')),
      hasNextPage: rows.length > first,
    };
  }
}

function decodeQuarantineCursor(cursor: string): string {
  const match = /^q:([1-9]\d{0,17})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw DomainException.invalid('"after" is not a cursor sourceQuarantine issued; pass pageInfo.endCursor');
  }
  return match[1];
}

function toEvent(r: Row): QuarantinedEvent {
  return {
    id: r.id,
    messageId: r.message_id,
    type: r.type,
    eventName: r.event_name,
    status: r.status,
    violations: r.violations,
    planVersion: r.plan_version,
    receivedAt: r.received_at,
    replayedAt: r.replayed_at,
    expiresAt: r.expires_at,
    event: r.event,
  };
}
