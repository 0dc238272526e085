import { APP_CONFIG, type AppConfig } from '@app/config';
import { Keyring } from '@app/common';
import { TemporalClientModule } from '@app/temporal';
import { Module } from '@nestjs/common';
import { SourceSchedulesService } from './schedules/source-schedules.service';
import { SyncSchedulesService } from './schedules/sync-schedules.service';
import { SourceSyncsService } from './source-syncs.service';
import { SourceCredentialsService } from './source-credentials.service';
import { SourceLifecycleService } from './source-lifecycle.service';
import { SourcesService } from './sources.service';
import { WriteKeysService } from './write-keys.service';

/** Core sources module (services only); the api adds SourcesGraphqlModule on top. */
@Module({
  imports: [TemporalClientModule],
  providers: [
    SourcesService,
    SourceSyncsService,
    WriteKeysService,
    SourceCredentialsService,
    SourceLifecycleService,
    SourceSchedulesService,
    SyncSchedulesService,
    {
      provide: Keyring,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new Keyring(config.encryption.keys, config.encryption.activeKeyId),
    },
  ],
  exports: [
    SourcesService,
    WriteKeysService,
    SourceCredentialsService,
    SourceSyncsService,
    SourceLifecycleService,
    SourceSchedulesService,
    SyncSchedulesService,
  ],
})
export class SourcesModule {}
