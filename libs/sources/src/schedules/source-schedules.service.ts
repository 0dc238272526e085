import { DomainException, SourceStatus } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { SourceEntity } from '@app/database';
import {
  SOURCE_SYNC_WORKFLOW,
  type SourceSyncInput,
  SourceIdKey,
  SourceKindKey,
  TemporalClientService,
  WORKFLOW_TASK_QUEUE,
  WorkspaceIdKey,
  makeSourceScheduleId,
  makeSourceSyncWorkflowId,
} from '@app/temporal';
import { Inject, Injectable } from '@nestjs/common';
import {
  ScheduleAlreadyRunning,
  type ScheduleDescription,
  type ScheduleHandle,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleUpdateOptions,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { storedSpec, temporalTiming } from './sync-schedule';

export interface ScheduleView {
  scheduleId: string;
  intervalMinutes: number | null;
  cron: string | null;
  jitterSeconds: number;
  paused: boolean;
  /** False when Temporal has lost the schedule: the next schedule change or syncSourceNow re-creates it. */
  registered: boolean;
  nextRunTimes: Date[];
  /** The source-level sync running now, if any. */
  running: RunRef | null;
}

export interface RunRef {
  workflowId: string;
  runId: string;
}

export interface SyncNowResult extends RunRef {
  alreadyRunning: boolean;
}

// How long syncSourceNow waits for the schedule to report the run it started.
const TRIGGER_WAIT_MS = 10_000;

/**
 * Each cloud-app source's Temporal Schedule `schedule:<sourceId>`. Our database keeps the spec (interval
 * or cron) and the source status; the schedule is built from them, so a lost one is re-created as it was.
 * Temporal keeps what only it knows: next run times, what runs now, the run history.
 */
@Injectable()
export class SourceSchedulesService {
  constructor(
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Creates the schedule of a new source (or one Temporal lost) unless Temporal has it; true when it did.
   * An interval's first run comes one interval after now, never at once: a new source gets credentials
   * first, and syncSourceNow is there for the first sync.
   */
  async ensure(source: SourceEntity): Promise<boolean> {
    try {
      await this.temporal.client.schedule.create({
        scheduleId: makeSourceScheduleId(source.id),
        ...this.updateOptions(source),
      });
      return true;
    } catch (error) {
      if (error instanceof ScheduleAlreadyRunning) {
        return false;
      }
      throw error;
    }
  }

  /** Applies a changed spec (counted from now, as on creation), re-creating the schedule when lost. */
  async applySpec(source: SourceEntity): Promise<void> {
    try {
      await this.handle(source.id).update(() => this.updateOptions(source));
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) {
        throw error;
      }
      await this.ensure(source);
    }
  }

  /** Pauses or unpauses the schedule as the source's status says (re-creating it when lost). */
  async applyStatus(source: SourceEntity): Promise<void> {
    const handle = this.handle(source.id);
    try {
      if (source.status === SourceStatus.ACTIVE) {
        await handle.unpause('Source resumed');
      } else {
        await handle.pause(`Source is ${source.status}`);
      }
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) {
        throw error;
      }
      await this.ensure(source);
    }
  }

  /**
   * Cancels the source-level sync the schedule runs now, if any (pause, delete): it cancels its children,
   * and ends CANCELLED rather than failing on children cancelled under it. Deleting or pausing a schedule
   * leaves its running workflow alone.
   */
  async cancelRunning(sourceId: string): Promise<void> {
    let described: ScheduleDescription;
    try {
      described = await this.handle(sourceId).describe();
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) {
        return;
      }
      throw error;
    }
    for (const action of described.info.runningActions) {
      const { workflowId, firstExecutionRunId } = action.workflow;
      await this.temporal.client.workflow
        .getHandle(workflowId, undefined, { firstExecutionRunId })
        .cancel()
        .catch((error: unknown) => {
          if (!(error instanceof WorkflowNotFoundError)) {
            throw error;
          }
        });
    }
  }

  async remove(sourceId: string): Promise<void> {
    try {
      await this.handle(sourceId).delete();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) {
        throw error;
      }
    }
  }

  /** What the schedule looks like now (cloud-app sources only). */
  async describe(source: SourceEntity): Promise<ScheduleView> {
    const spec = storedSpec(source);
    const base = {
      scheduleId: makeSourceScheduleId(source.id),
      intervalMinutes: spec.intervalMinutes,
      cron: spec.cron,
      jitterSeconds: Math.round(temporalTiming(source.id, spec).jitterMs / 1000),
    };
    let described: ScheduleDescription;
    try {
      described = await this.handle(source.id).describe();
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) {
        return {
          ...base,
          paused: source.status !== SourceStatus.ACTIVE,
          registered: false,
          nextRunTimes: [],
          running: null,
        };
      }
      throw error;
    }
    return {
      ...base,
      paused: described.state.paused,
      registered: true,
      nextRunTimes: described.state.paused ? [] : described.info.nextActionTimes,
      running: runningRef(described),
    };
  }

  /**
   * "Sync now" through the schedule, so its overlap policy (SKIP) holds for manual runs too: answers the
   * run already in progress, or the one this started.
   */
  async syncNow(source: SourceEntity): Promise<SyncNowResult> {
    const handle = await this.existingHandle(source);
    const before = await handle.describe();
    const running = runningRef(before);
    if (running) {
      return { ...running, alreadyRunning: true };
    }
    // The SDK's default for a trigger is ALLOW_ALL, which would start a second run next to a running one.
    await handle.trigger(ScheduleOverlapPolicy.SKIP);
    const deadline = Date.now() + TRIGGER_WAIT_MS;
    while (Date.now() < deadline) {
      const now = await handle.describe();
      const started =
        runningRef(now) ?? (now.info.numActionsTaken > before.info.numActionsTaken ? lastAction(now) : null);
      if (started) {
        return { ...started, alreadyRunning: false };
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw DomainException.conflict(
      `Temporal did not start the schedule's run within ${TRIGGER_WAIT_MS / 1000} s; check the Temporal server, then retry`,
    );
  }

  private async existingHandle(source: SourceEntity): Promise<ScheduleHandle> {
    const handle = this.handle(source.id);
    try {
      await handle.describe();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) {
        throw error;
      }
      await this.ensure(source);
    }
    return handle;
  }

  private handle(sourceId: string): ScheduleHandle {
    return this.temporal.client.schedule.getHandle(makeSourceScheduleId(sourceId));
  }

  private updateOptions(source: SourceEntity): ScheduleUpdateOptions {
    const spec = storedSpec(source);
    const timing = temporalTiming(source.id, spec);
    const startAt = spec.intervalMinutes === null ? undefined : new Date(Date.now() + spec.intervalMinutes * 60_000);
    const attributes = [
      { key: SourceIdKey, value: source.id },
      { key: SourceKindKey, value: source.kind },
      { key: WorkspaceIdKey, value: source.workspaceId },
    ];
    const input: SourceSyncInput = {
      sourceId: source.id,
      queueWaitMs: this.config.sync.queueWaitMs,
      slices: this.config.sync.firstSyncSlices,
    };
    return {
      spec: { ...timing.spec, startAt },
      action: {
        type: 'startWorkflow',
        workflowType: SOURCE_SYNC_WORKFLOW,
        workflowId: makeSourceSyncWorkflowId(source.id),
        taskQueue: WORKFLOW_TASK_QUEUE,
        args: [input],
        typedSearchAttributes: attributes,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: timing.catchupWindowMs, pauseOnFailure: false },
      state: {
        paused: source.status !== SourceStatus.ACTIVE,
        note: source.status === SourceStatus.ACTIVE ? undefined : `Source is ${source.status}`,
      },
      typedSearchAttributes: attributes,
    };
  }
}

function runningRef(described: ScheduleDescription): RunRef | null {
  const action = described.info.runningActions[0];
  return action ? { workflowId: action.workflow.workflowId, runId: action.workflow.firstExecutionRunId } : null;
}

function lastAction(described: ScheduleDescription): RunRef | null {
  const action = described.info.recentActions.at(-1)?.action;
  return action ? { workflowId: action.workflow.workflowId, runId: action.workflow.firstExecutionRunId } : null;
}
