import { InitialSchema1795667230556 } from './1795667230556-initial-schema';
import { SyncRunsRecordsState1795669364071 } from './1795669364071-sync-runs-records-state';

// Listed explicitly (no glob) so the same list works from sources, the build and the CLI. Append only.
export const MIGRATIONS = [InitialSchema1795667230556, SyncRunsRecordsState1795669364071];
