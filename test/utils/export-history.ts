import { execFileSync } from 'node:child_process';
import { ensureTemporal } from '../../scripts/lib/ensure-temporal';
import { requiredEnv } from './database';

/** A run's history as the Temporal CLI exports it (proto JSON), which SDK replayers read. */
export async function exportHistory(workflowId: string, runId: string): Promise<string> {
  const cli = await ensureTemporal(() => undefined);
  const address = requiredEnv('TEST_TEMPORAL_ADDRESS');
  return execFileSync(
    cli,
    ['workflow', 'show', '--address', address, '-w', workflowId, '-r', runId, '--output', 'json'],
    {
      encoding: 'utf8',
    },
  );
}
