import { EventReader, IngestionLogReader, QuarantineReader, QuarantineReplayModule } from '@app/ingestion';
import { SourcesModule } from '@app/sources';
import { Module } from '@nestjs/common';
import { TemporalClientModule } from '@app/temporal';
import { IngestionLogResolver } from './ingestion-log.resolver';
import { QuarantineResolver } from './quarantine.resolver';
import { SourceEventsResolver } from './source-events.resolver';

/**
 * GraphQL `sourceEvents`, `sourceQuarantine`, `replayQuarantine`, `quarantineReplay`, `sourceIngestionCounts`,
 * `sourceRejections` and `Source.ingestionHealth`: read what libs/ingestion stored, for sources of the caller's
 * workspace.
 */
@Module({
  imports: [SourcesModule, QuarantineReplayModule, TemporalClientModule],
  providers: [
    EventReader,
    QuarantineReader,
    IngestionLogReader,
    SourceEventsResolver,
    QuarantineResolver,
    IngestionLogResolver,
  ],
})
export class SourceEventsModule {}
