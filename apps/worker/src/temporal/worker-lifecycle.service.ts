import { APP_CONFIG, type AppConfig } from '@app/config';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SharedWorkerService } from './shared-worker.service';
import { SourceChangesListener } from './source-changes.listener';
import { SourceWorkerRegistry } from './source-worker-registry.service';
import { TemporalRuntimeService } from './temporal-runtime.service';

// Notifications often come in bursts (a mutation may touch several rows): coalesce them.
const DEBOUNCE_MS = 100;

/** Starts and stops the worker's parts in order: connection, shared worker, source workers, triggers. */
@Injectable()
export class WorkerLifecycleService {
  private readonly logger = new Logger('Worker');
  private timer?: NodeJS.Timeout;
  private pending?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runtime: TemporalRuntimeService,
    private readonly shared: SharedWorkerService,
    private readonly registry: SourceWorkerRegistry,
    private readonly listener: SourceChangesListener,
  ) {}

  async start(): Promise<void> {
    await this.runtime.connection();
    await this.shared.start();
    await this.registry.reconcile();
    await this.listener.start(() => this.reconcileSoon());
    this.timer = setInterval(() => void this.registry.reconcile(), this.config.worker.reconcileIntervalMs);
    this.logger.log(`worker ready; serving ${this.registry.servedSourceIds().length} source queue(s)`);
  }

  /** In-flight activities finish (or hit the grace time) before the connection closes. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.pending);
    await this.listener.stop();
    await this.registry.stopAll();
    await this.shared.stop();
    await this.runtime.close();
  }

  private reconcileSoon(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.registry.reconcile(), DEBOUNCE_MS);
  }
}
