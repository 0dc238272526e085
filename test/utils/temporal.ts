import { requiredEnv } from './database';

/** host:port of the Temporal dev server the global setup started (headless, in memory, shared by all files). */
export function testTemporalAddress(): string {
  return requiredEnv('TEST_TEMPORAL_ADDRESS');
}
