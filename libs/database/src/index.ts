export { buildDataSourceOptions, type DatabaseSettings } from './data-source-options';
export { DatabaseMigrationsModule } from './database-migrations.module';
export { DatabaseModule } from './database.module';
export * from './entities';
export { type PerSourceTable, perSourceTables, registerPurgeTable } from './per-source-tables';
export { isUniqueViolation } from './pg-errors';
export { WEBHOOK_EVENT_ENTITIES, type WebhookEventRow } from './webhook-event-tables';
export { MIGRATION_LOCK_KEY, runMigrationsWithLock } from './run-migrations';
