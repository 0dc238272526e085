import { Module } from '@nestjs/common';
import { EventMaintenance } from './event-maintenance';
import { EventStore } from './event-store';
import { IngestionService } from './ingestion.service';
import { QuarantineStore } from './quarantine/quarantine-store';

/** The tracking pipeline for apps/ingest: group-committed event storage and its table maintenance. */
@Module({
  providers: [EventStore, QuarantineStore, IngestionService, EventMaintenance],
  exports: [IngestionService, EventMaintenance, EventStore, QuarantineStore],
})
export class IngestionModule {}
