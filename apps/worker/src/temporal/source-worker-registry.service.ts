import { APP_CONFIG, type AppConfig } from '@app/config';
import { SourceStatus } from '@app/common';
import { CLOUD_APP_KINDS } from '@app/connectors';
import { ActivitySlots, CredentialVault, SyncStore, UpstreamBudget, createCloudSyncActivities } from '@app/sync';
import { SourceEntity, SourceTaskQueueEntity } from '@app/database';
import { WebhookSecretsStore, createSourceWebhookActivities } from '@app/sources';
import { sourceTaskQueue } from '@app/temporal';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Worker } from '@temporalio/worker';
import { DataSource, In, IsNull, LessThan } from 'typeorm';
import { activityInterceptors } from './activity-interceptors';
import { TemporalRuntimeService } from './temporal-runtime.service';
import { WORKER_ID } from './worker-id';

// A worker refreshes its rows every reconcile; three missed refreshes mean it is gone.
const STALE_AFTER_INTERVALS = 3;

interface RunningSource {
  worker: Worker;
  run: Promise<void>;
}

/**
 * Keeps one activity-only Worker per ACTIVE cloud-app source (queue `source-<id>`), adding and removing
 * them as sources change. A failing source worker is logged and retried on the next reconcile; it never
 * takes the others down.
 */
@Injectable()
export class SourceWorkerRegistry {
  private readonly logger = new Logger('SourceWorkers');
  private readonly running = new Map<string, RunningSource>();
  private readonly slots: ActivitySlots;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly runtime: TemporalRuntimeService,
    private readonly store: SyncStore,
    private readonly vault: CredentialVault,
    private readonly budget: UpstreamBudget,
    private readonly webhookSecrets: WebhookSecretsStore,
  ) {
    this.slots = new ActivitySlots(config.worker.maxConcurrentActivities);
  }

  /** Sources whose queue this process serves now. */
  servedSourceIds(): string[] {
    return [...this.running.keys()];
  }

  /** Brings the running workers in line with the sources table; calls are serialised. */
  reconcile(): Promise<void> {
    this.queue = this.queue
      .then(() => this.reconcileOnce())
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'reconcile failed; will retry on the next trigger');
      });
    return this.queue;
  }

  async stopAll(): Promise<void> {
    await this.queue;
    await Promise.all([...this.running.keys()].map((id) => this.stopSource(id)));
  }

  private async reconcileOnce(): Promise<void> {
    const desired = new Set(
      (
        await this.db.getRepository(SourceEntity).find({
          select: { id: true },
          where: { kind: In([...CLOUD_APP_KINDS]), status: SourceStatus.ACTIVE, deletedAt: IsNull() },
        })
      ).map((s) => s.id),
    );
    const toStop = [...this.running.keys()].filter((id) => !desired.has(id));
    const toStart = [...desired].filter((id) => !this.running.has(id));
    await Promise.all(toStop.map((id) => this.stopSource(id)));
    await Promise.all(toStart.map((id) => this.startSource(id)));
    await this.heartbeat();
  }

  private async startSource(sourceId: string): Promise<void> {
    try {
      const worker = await Worker.create({
        connection: await this.runtime.connection(),
        namespace: this.config.temporal.namespace,
        taskQueue: sourceTaskQueue(sourceId),
        activities: {
          ...createCloudSyncActivities({
            store: this.store,
            vault: this.vault,
            slots: this.slots,
            // Each definition picks its API origin from the process config (never per source).
            settings: this.config,
            budget: this.budget,
          }),
          ...createSourceWebhookActivities({ secrets: this.webhookSecrets, settings: this.config }),
        },
        interceptors: activityInterceptors(),
        // maxConcurrentActivityTaskPolls is ignored since SDK 1.12: poller behaviour is the knob.
        activityTaskPollerBehavior: { type: 'autoscaling', minimum: 1, initial: 1, maximum: 4 },
        maxConcurrentActivityTaskExecutions: this.config.worker.sourceConcurrency,
        // Heartbeats reach the server at most this far apart (else 0.8 × the heartbeat timeout, 24 s): a
        // cancellation arrives in a heartbeat's answer, so a cancelled page stops within seconds.
        maxHeartbeatThrottleInterval: '2 seconds',
        shutdownGraceTime: '10 seconds',
      });
      const run = worker.run().catch((error: unknown) => this.onWorkerDied(sourceId, error));
      this.running.set(sourceId, { worker, run });
      const now = new Date();
      await this.db
        .getRepository(SourceTaskQueueEntity)
        .upsert(
          { sourceId, workerId: WORKER_ID, taskQueue: sourceTaskQueue(sourceId), servingSince: now, heartbeatAt: now },
          ['sourceId', 'workerId'],
        );
      this.logger.log(`serving ${sourceTaskQueue(sourceId)}`);
    } catch (error) {
      this.logger.error({ err: error }, `could not start the worker of ${sourceTaskQueue(sourceId)}`);
    }
  }

  private async stopSource(sourceId: string): Promise<void> {
    const entry = this.running.get(sourceId);
    this.running.delete(sourceId);
    if (entry && entry.worker.getState() === 'RUNNING') {
      entry.worker.shutdown();
    }
    await entry?.run;
    await this.db.getRepository(SourceTaskQueueEntity).delete({ sourceId, workerId: WORKER_ID });
    this.logger.log(`stopped serving ${sourceTaskQueue(sourceId)}`);
  }

  private async onWorkerDied(sourceId: string, error: unknown): Promise<void> {
    this.logger.error(
      { err: error },
      `the worker of ${sourceTaskQueue(sourceId)} stopped; it restarts on the next reconcile`,
    );
    if (this.running.get(sourceId)) {
      this.running.delete(sourceId);
      await this.db
        .getRepository(SourceTaskQueueEntity)
        .delete({ sourceId, workerId: WORKER_ID })
        .catch(() => undefined);
    }
  }

  private async heartbeat(): Promise<void> {
    const repo = this.db.getRepository(SourceTaskQueueEntity);
    if (this.running.size > 0) {
      await repo.update({ workerId: WORKER_ID, sourceId: In([...this.running.keys()]) }, { heartbeatAt: new Date() });
    }
    // Rows of workers that died without cleaning up (kill -9, lost host) go once they are clearly stale.
    const staleBefore = new Date(Date.now() - STALE_AFTER_INTERVALS * this.config.worker.reconcileIntervalMs);
    await repo.delete({ heartbeatAt: LessThan(staleBefore) });
  }
}
