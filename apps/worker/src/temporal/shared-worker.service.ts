import { APP_CONFIG, type AppConfig } from '@app/config';
import { SourceSyncPlanner, SyncStore, createSourceSyncActivities, createSyncBookkeepingActivities } from '@app/sync';
import { QuarantineReplays, createQuarantineReplayActivities } from '@app/ingestion';
import { SourcePurgeStore, createSourcePurgeActivities } from '@app/sources';
import { WORKFLOW_TASK_QUEUE } from '@app/temporal';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { activityInterceptors } from './activity-interceptors';
import { TemporalRuntimeService } from './temporal-runtime.service';
import { workflowSource } from './workflow-bundle';

/**
 * The one full Worker of the process: every workflow task (shared queue `tributary-workflows`) plus the
 * database-only activities (sync bookkeeping, source purge, the source-level sync, quarantine replays). Cloud-app API calls run on the per-source
 * workers instead.
 */
@Injectable()
export class SharedWorkerService {
  private readonly logger = new Logger('SharedWorker');
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runtime: TemporalRuntimeService,
    private readonly store: SyncStore,
    private readonly purge: SourcePurgeStore,
    private readonly planner: SourceSyncPlanner,
    private readonly replays: QuarantineReplays,
  ) {}

  async start(): Promise<void> {
    const source = workflowSource(this.config.nodeEnv === 'production');
    this.logger.log(
      source.workflowBundle ? 'workflows from the prebuilt bundle' : 'bundling workflows from the sources',
    );
    const connection = await this.runtime.connection();
    // The source-level sync waits for manual runs through the client (awaitRunningSync).
    const client = new Client({ connection, namespace: this.config.temporal.namespace });
    this.worker = await Worker.create({
      connection,
      namespace: this.config.temporal.namespace,
      taskQueue: WORKFLOW_TASK_QUEUE,
      ...source,
      activities: {
        ...createSyncBookkeepingActivities(this.store),
        ...createSourcePurgeActivities(this.purge),
        ...createSourceSyncActivities(this.planner, client),
        ...createQuarantineReplayActivities(this.replays),
      },
      interceptors: activityInterceptors(),
      // Set explicitly: the default is computed per Worker from the whole heap (reference/temporal.md §1.1).
      maxCachedWorkflows: this.config.worker.maxCachedWorkflows,
      workflowTaskPollerBehavior: { type: 'autoscaling', minimum: 1, initial: 2, maximum: 10 },
      activityTaskPollerBehavior: { type: 'autoscaling', minimum: 1, initial: 1, maximum: 4 },
      shutdownGraceTime: '10 seconds',
    });
    this.running = this.worker.run();
    this.running.catch((error: unknown) => this.logger.error({ err: error }, 'the shared workflow worker stopped'));
    this.logger.log(`serving workflows on ${WORKFLOW_TASK_QUEUE}`);
  }

  async stop(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') {
      this.worker.shutdown();
    }
    await this.running?.catch(() => undefined);
  }
}
