import { ConfigModule, type AppConfig } from '@app/config';
import { DatabaseModule } from '@app/database';
import { HealthModule } from '@app/health';
import { loggerModuleParams } from '@app/logging';
import { IngestionModule } from '@app/ingestion';
import { SourcesModule, WebhooksIngestModule } from '@app/sources';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';

/**
 * The ingest process (the public edge): composition only. Cloud-app webhooks (signature auth) come from
 * libs/sources; the tracking API (write-key auth) from libs/ingestion, its keys and settings from
 * libs/sources. Later issues add the SDK files.
 * It never migrates: the api applies migrations.
 */
@Module({})
export class IngestModule {
  static forRoot(config: AppConfig, rootLogger: PinoLogger): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerModuleParams(rootLogger)),
        DatabaseModule,
        HealthModule,
        WebhooksIngestModule,
        SourcesModule,
        IngestionModule,
      ],
    };
  }
}
