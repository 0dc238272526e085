// The one workflow bundle entry (STYLE R9): re-exports every workflow. The bundler resolves @app/* through
// the alias set in temporal/workflow-bundle.ts, not through tsconfig paths.
export * from '@app/sync/workflows';
export * from '@app/sources/workflows';
export * from '@app/ingestion/workflows';
