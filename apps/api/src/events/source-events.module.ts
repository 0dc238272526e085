import { EventReader, IngestionLogReader } from '@app/ingestion';
import { SourcesModule } from '@app/sources';
import { Module } from '@nestjs/common';
import { IngestionLogResolver } from './ingestion-log.resolver';
import { SourceEventsResolver } from './source-events.resolver';

/**
 * GraphQL `sourceEvents`, `sourceIngestionCounts`, `sourceRejections` and `Source.ingestionHealth`: read what
 * libs/ingestion stored, for sources of the caller's workspace.
 */
@Module({
  imports: [SourcesModule],
  providers: [EventReader, IngestionLogReader, SourceEventsResolver, IngestionLogResolver],
})
export class SourceEventsModule {}
