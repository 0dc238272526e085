import { Keyring } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { CredentialVault } from './credential-vault';
import { SyncStore } from './sync-store.service';

/** The sync engine's providers (worker side): the sync store and the credential vault. */
@Module({
  providers: [
    SyncStore,
    CredentialVault,
    {
      provide: Keyring,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new Keyring(config.encryption.keys, config.encryption.activeKeyId),
    },
  ],
  exports: [SyncStore, CredentialVault],
})
export class SyncModule {}
