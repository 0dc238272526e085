import { type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { QuarantineReplayModule } from '@app/ingestion';
import { SourcePurgeModule, SourceWebhooksModule } from '@app/sources';
import { SyncModule } from '@app/sync';
import { createRootLogger, loggerModuleParams } from '@app/logging';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { SharedWorkerService } from './temporal/shared-worker.service';
import { SourceChangesListener } from './temporal/source-changes.listener';
import { SourceWorkerRegistry } from './temporal/source-worker-registry.service';
import { TemporalRuntimeService } from './temporal/temporal-runtime.service';
import { WorkerLifecycleService } from './temporal/worker-lifecycle.service';

/** The worker process (a Nest application context, no HTTP): Temporal workers for workflows and sources. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, logDestination?: DestinationStream): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        // The api's redaction and error serialiser: one options builder for every process.
        LoggerModule.forRoot(loggerModuleParams(createRootLogger(config, logDestination))),
        DatabaseModule,
        SyncModule,
        SourcePurgeModule,
        SourceWebhooksModule,
        QuarantineReplayModule,
      ],
      providers: [
        TemporalRuntimeService,
        SharedWorkerService,
        SourceWorkerRegistry,
        SourceChangesListener,
        WorkerLifecycleService,
      ],
      exports: [WorkerLifecycleService, SourceWorkerRegistry],
    };
  }
}
