import { APP_CONFIG, type AppConfig } from '@app/config';
import { Keyring } from '@app/common';
import { Module } from '@nestjs/common';
import { SourceCredentialsService } from './source-credentials.service';
import { SourcesService } from './sources.service';
import { WriteKeysService } from './write-keys.service';

/** Core sources module (services only); the api adds SourcesGraphqlModule on top. */
@Module({
  providers: [
    SourcesService,
    WriteKeysService,
    SourceCredentialsService,
    {
      provide: Keyring,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new Keyring(config.encryption.keys, config.encryption.activeKeyId),
    },
  ],
  exports: [SourcesService, WriteKeysService, SourceCredentialsService],
})
export class SourcesModule {}
