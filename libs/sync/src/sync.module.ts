import { Keyring } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { ConcurrencyLeases } from './budget/concurrency-leases.service';
import { RequestBudgets } from './budget/request-budgets.service';
import { SourceAccounts } from './budget/source-accounts.service';
import { UpstreamBudget } from './budget/upstream-budget';
import { CredentialVault } from './credential-vault';
import { SourceSyncPlanner } from './source-sync-plan';
import { SyncStore } from './sync-store.service';

/** The sync engine's providers (worker side): the sync store, the credential vault, the upstream budget. */
@Module({
  providers: [
    SyncStore,
    SourceSyncPlanner,
    CredentialVault,
    RequestBudgets,
    ConcurrencyLeases,
    SourceAccounts,
    UpstreamBudget,
    {
      provide: Keyring,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new Keyring(config.encryption.keys, config.encryption.activeKeyId),
    },
  ],
  exports: [SyncStore, SourceSyncPlanner, CredentialVault, UpstreamBudget, RequestBudgets, ConcurrencyLeases],
})
export class SyncModule {}
