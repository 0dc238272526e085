import { TemporalClientModule } from '@app/temporal';
import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources.module';
import { SourceCredentialsResolver } from './source-credentials.resolver';
import { SourceModelMapper } from './source-model.mapper';
import { SourcesResolver } from './sources.resolver';
import { SourceSchedulesReconciler } from '../schedules/source-schedules.reconciler';
import { SyncSchedulesResolver } from './sync-schedules.resolver';
import { SyncsResolver } from './syncs.resolver';
import { WriteKeysResolver } from './write-keys.resolver';

/** GraphQL surface of sources; imported by the api only (hence the schedules' boot check lives here too). */
@Module({
  imports: [SourcesModule, TemporalClientModule],
  providers: [
    SourcesResolver,
    WriteKeysResolver,
    SourceCredentialsResolver,
    SyncsResolver,
    SyncSchedulesResolver,
    SourceModelMapper,
    SourceSchedulesReconciler,
  ],
})
export class SourcesGraphqlModule {}
