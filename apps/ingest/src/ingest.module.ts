import { ConfigModule, type AppConfig } from '@app/config';
import { DatabaseModule } from '@app/database';
import { HealthModule } from '@app/health';
import { loggerModuleParams } from '@app/logging';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';

/**
 * The ingest process (the public edge): composition only. Later issues add the tracking API (write-key
 * auth), the SDK files and the cloud-app webhooks (signature auth) from libs/ingestion and libs/sources.
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
      ],
    };
  }
}
