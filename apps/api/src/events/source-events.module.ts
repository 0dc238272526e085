import { EventReader } from '@app/ingestion';
import { SourcesModule } from '@app/sources';
import { Module } from '@nestjs/common';
import { SourceEventsResolver } from './source-events.resolver';

/** GraphQL `sourceEvents`: reads the events libs/ingestion stored, for sources of the caller's workspace. */
@Module({
  imports: [SourcesModule],
  providers: [EventReader, SourceEventsResolver],
})
export class SourceEventsModule {}
