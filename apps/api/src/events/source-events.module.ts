import { EventReader, QuarantineReader, QuarantineReplayModule } from '@app/ingestion';
import { SourcesModule } from '@app/sources';
import { Module } from '@nestjs/common';
import { TemporalClientModule } from '@app/temporal';
import { QuarantineResolver } from './quarantine.resolver';
import { SourceEventsResolver } from './source-events.resolver';

/** GraphQL `sourceEvents`, `sourceQuarantine`, `replayQuarantine` and `quarantineReplay`: reads the events libs/ingestion stored, for sources of the caller's workspace. */
@Module({
  imports: [SourcesModule, QuarantineReplayModule, TemporalClientModule],
  providers: [EventReader, QuarantineReader, SourceEventsResolver, QuarantineResolver],
})
export class SourceEventsModule {}
