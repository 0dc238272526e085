import {
  DomainException,
  SourceEnvironment,
  SourceKind,
  SourceStatus,
  decodeCursor,
  isCloudAppKind,
} from '@app/common';
import { SourceEntity, isUniqueViolation } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEFAULT_SYNC_SCHEDULE } from './schedules/sync-schedule';
import { SourceSchedulesService } from './schedules/source-schedules.service';
import { notifySourceChanged } from './source-changes';
import { findLiveSource } from './source-lookup';
import { SourceSyncsService } from './source-syncs.service';
import {
  type SettingsPatch,
  type SourceSettings,
  applySettingsPatch,
  defaultSettings,
  withTrackingPlan,
} from './source-settings';
import type { SourcePage, SourceView } from './source.views';

export interface CreateSourceCommand extends SettingsPatch {
  name: string;
  description?: string | null;
  kind: SourceKind;
  environment: SourceEnvironment;
}

export interface UpdateSourceCommand extends SettingsPatch {
  name?: string;
  description?: string | null;
  environment?: SourceEnvironment;
}

export interface SourceFilter {
  kind?: SourceKind;
  environment?: SourceEnvironment;
  status?: SourceStatus;
  /** Deleted sources that can still be restored (their purge has not started) instead of live ones. */
  deleted?: boolean;
}

const LIVE = 's.deleted_at IS NULL';
const RESTORABLE = 's.deleted_at IS NOT NULL AND s.purged_at IS NULL';

export const NAME_CONSTRAINT = 'uq_sources_live_name';

@Injectable()
export class SourcesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly syncs: SourceSyncsService,
    private readonly schedules: SourceSchedulesService,
  ) {}

  async create(workspaceId: string, cmd: CreateSourceCommand): Promise<SourceView> {
    const settings = applySettingsPatch(cmd.kind, defaultSettings(cmd.kind), cmd);
    const repo = this.db.getRepository(SourceEntity);
    const row = repo.create({
      workspaceId,
      name: validName(cmd.name),
      description: cmd.description ?? null,
      kind: cmd.kind,
      environment: cmd.environment,
      status: SourceStatus.ACTIVE,
      ...toColumns(settings),
      // Cloud apps sync on a schedule (hourly until updateSyncSchedule changes it); event streams have none.
      syncIntervalMinutes: isCloudAppKind(cmd.kind) ? DEFAULT_SYNC_SCHEDULE.intervalMinutes : null,
      syncCron: null,
      deletedAt: null,
      purgedAt: null,
    });
    return this.db.transaction(async (em) => {
      const saved = await this.saveUnique(() => em.save(row), row);
      await notifySourceChanged(em, saved.id);
      if (isCloudAppKind(saved.kind)) {
        // Before commit: a source whose schedule could not be created is not created either.
        await this.schedules.ensure(saved);
      }
      return toView(saved);
    });
  }

  async get(workspaceId: string, id: string): Promise<SourceView> {
    return toView(await findLiveSource(this.db.manager, workspaceId, id));
  }

  async list(workspaceId: string, filter: SourceFilter, first: number, after?: string | null): Promise<SourcePage> {
    const base = this.db
      .getRepository(SourceEntity)
      .createQueryBuilder('s')
      .where(`s.workspace_id = :workspaceId AND ${filter.deleted ? RESTORABLE : LIVE}`, { workspaceId });
    for (const key of ['kind', 'environment', 'status'] as const) {
      if (filter[key]) {
        base.andWhere(`s.${key} = :${key}`, { [key]: filter[key] });
      }
    }
    const totalCount = await base.clone().getCount();
    const page = base
      .clone()
      .orderBy('s.created_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(first + 1);
    if (after) {
      const pos = decodeCursor(after);
      page.andWhere('(s.created_at, s.id) > (:createdAt, :id)', { createdAt: pos.createdAt, id: pos.id });
    }
    const rows = await page.getMany();
    return { items: rows.slice(0, first).map(toView), totalCount, hasNextPage: rows.length > first };
  }

  async update(workspaceId: string, id: string, cmd: UpdateSourceCommand): Promise<SourceView> {
    return this.db.transaction(async (em) => {
      const row = await findLiveSource(em, workspaceId, id, true);
      Object.assign(row, toColumns(applySettingsPatch(row.kind, settingsOf(row), cmd)));
      if (cmd.name !== undefined) {
        row.name = validName(cmd.name);
      }
      if (cmd.description !== undefined) {
        row.description = cmd.description;
      }
      if (cmd.environment !== undefined) {
        row.environment = cmd.environment;
      }
      return toView(await this.saveUnique(() => em.save(row), row));
    });
  }

  /**
   * Pausing cancels running syncs under the source row's lock (triggers take it too), so no run starts
   * after the cancel on a queue about to stop, and pauses the source's schedule; resuming lets the worker
   * serve the queue again and unpauses the schedule.
   */
  async setStatus(
    workspaceId: string,
    id: string,
    status: SourceStatus.ACTIVE | SourceStatus.PAUSED,
  ): Promise<SourceView> {
    return this.db.transaction(async (em) => {
      const row = await findLiveSource(em, workspaceId, id, 'syncs');
      if (row.status === SourceStatus.DISABLED) {
        throw DomainException.conflict(
          `Source "${row.name}" was DISABLED by the system and cannot be paused or resumed; contact your Tributary operator`,
        );
      }
      if (status === SourceStatus.PAUSED) {
        // Running syncs stop first; then the worker stops serving the source's queue (on NOTIFY).
        if (isCloudAppKind(row.kind)) {
          await this.schedules.cancelRunning(row.id);
        }
        await this.syncs.cancelAll(row.id, row.kind);
      }
      row.status = status;
      await notifySourceChanged(em, row.id);
      const saved = await em.save(row);
      if (isCloudAppKind(row.kind)) {
        await this.schedules.applyStatus(saved);
      }
      return toView(saved);
    });
  }

  private async saveUnique(save: () => Promise<SourceEntity>, row: SourceEntity): Promise<SourceEntity> {
    try {
      return await save();
    } catch (error) {
      if (isUniqueViolation(error, NAME_CONSTRAINT)) {
        throw DomainException.conflict(
          `A ${row.environment} source named "${row.name}" already exists in this workspace; choose another name or environment`,
        );
      }
      throw error;
    }
  }
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) {
    throw DomainException.invalid('name must be 1 to 100 characters (surrounding spaces are trimmed)');
  }
  return trimmed;
}

function settingsOf(row: SourceEntity): SourceSettings {
  return {
    trackingConfig: withTrackingPlan(row.trackingConfig as unknown as SourceSettings['trackingConfig']),
    rateLimit: row.rateLimit as unknown as SourceSettings['rateLimit'],
    identitySettings: row.identitySettings as unknown as SourceSettings['identitySettings'],
  };
}

function toColumns(settings: SourceSettings): Pick<SourceEntity, 'trackingConfig' | 'rateLimit' | 'identitySettings'> {
  return {
    trackingConfig: settings.trackingConfig as unknown as Record<string, unknown> | null,
    rateLimit: settings.rateLimit as unknown as Record<string, unknown>,
    identitySettings: settings.identitySettings as unknown as Record<string, unknown>,
  };
}

export function toView(row: SourceEntity): SourceView {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    name: row.name,
    description: row.description,
    kind: row.kind,
    environment: row.environment,
    status: row.status,
    settings: settingsOf(row),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}
