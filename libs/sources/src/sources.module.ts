import { TemporalClientModule } from '@app/temporal';
import { Module } from '@nestjs/common';
import { keyringProvider } from './keyring.provider';
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
    keyringProvider,
  ],
  exports: [SourcesService, WriteKeysService, SourceCredentialsService, SourceSyncsService, SourceLifecycleService],
})
export class SourcesModule {}
