import { DomainException, SourceStatus, isCloudAppKind } from '@app/common';
import { SourceCredentialEntity, type SourceEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { findLiveSource } from '../source-lookup';
import { type ScheduleView, SourceSchedulesService, type SyncNowResult } from './source-schedules.service';
import { readScheduleInput } from './sync-schedule';

export interface UpdateSyncScheduleCommand {
  intervalMinutes?: number | null;
  cron?: string | null;
}

/** The GraphQL operations on a source's sync schedule: read it, change it, "sync now". */
@Injectable()
export class SyncSchedulesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly schedules: SourceSchedulesService,
  ) {}

  /** Null for event-stream sources, which have no schedule. */
  async get(workspaceId: string, sourceId: string): Promise<ScheduleView | null> {
    const source = await findLiveSource(this.db.manager, workspaceId, sourceId);
    return isCloudAppKind(source.kind) ? this.schedules.describe(source) : null;
  }

  /** Stores the new spec and applies it to the Temporal schedule in one go (a failed apply changes nothing). */
  async update(workspaceId: string, sourceId: string, cmd: UpdateSyncScheduleCommand): Promise<ScheduleView> {
    const spec = readScheduleInput(cmd);
    const source = await this.db.transaction(async (em) => {
      const row = await findLiveSource(em, workspaceId, sourceId, 'syncs');
      requireCloudApp(row);
      row.syncIntervalMinutes = spec.intervalMinutes;
      row.syncCron = spec.cron;
      const saved = await em.save(row);
      await this.schedules.applySpec(saved);
      return saved;
    });
    return this.schedules.describe(source);
  }

  /**
   * Runs every object now through the schedule (overlap SKIP): answers the run in progress when there is
   * one. Under the source row's lock, as triggers: a pause either comes first (refused here) or cancels it.
   */
  async syncNow(workspaceId: string, sourceId: string): Promise<SyncNowResult> {
    return this.db.transaction(async (em) => {
      const source = await findLiveSource(em, workspaceId, sourceId, 'syncs');
      requireCloudApp(source);
      if (source.status !== SourceStatus.ACTIVE) {
        throw DomainException.conflict(`Source is ${source.status}; resume it before syncing`);
      }
      if (!(await em.getRepository(SourceCredentialEntity).existsBy({ sourceId }))) {
        throw DomainException.invalid('Source has no credentials; set them with setSourceCredentials before syncing');
      }
      return this.schedules.syncNow(source);
    });
  }
}

function requireCloudApp(source: SourceEntity): void {
  if (!isCloudAppKind(source.kind)) {
    throw DomainException.invalid(
      `${source.kind} is an event-stream source: it receives events and has no sync schedule`,
    );
  }
}
