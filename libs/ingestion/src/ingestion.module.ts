import { Module } from '@nestjs/common';
import { EventMaintenance } from './event-maintenance';
import { EventStore } from './event-store';
import { IngestionLog } from './ingestion-log';
import { IngestionService } from './ingestion.service';
import { QuarantineStore } from './quarantine/quarantine-store';
import { RateGate } from './rate-gate';

/**
 * The tracking pipeline for apps/ingest: group-committed event storage, the ingestion log, and their
 * tables' maintenance.
 */
@Module({
  providers: [EventStore, QuarantineStore, IngestionLog, IngestionService, EventMaintenance, RateGate],
  exports: [IngestionService, EventMaintenance, EventStore, QuarantineStore, IngestionLog],
})
export class IngestionModule {}
