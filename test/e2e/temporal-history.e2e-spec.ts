import { TemporalClientService } from '@app/temporal';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundlerOptions } from '../../apps/worker/src/temporal/workflow-bundle';
import { ensureTemporal } from '../../scripts/lib/ensure-temporal';
import { requiredEnv } from '../utils/database';
import { createStripeSource, emulatorCustomers, syncAndWait } from '../utils/stripe-sync';
import { startSyncStack, type SyncStack } from '../utils/sync-stack';

type History = temporal.api.history.v1.IHistory;

const FIXTURE = join(
  __dirname,
  '..',
  '..',
  'libs',
  'connectors',
  'src',
  'core',
  'workflows',
  '__fixtures__',
  'sync-cloud-app.history.json',
);
const WORKFLOWS = require.resolve('../../apps/worker/src/workflows');

/** Every string and every payload byte of a history, decoded as text: what an operator could read in the UI. */
function readableText(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) {
    out.push(Buffer.from(value).toString('utf8'));
  } else if (typeof value === 'string') {
    out.push(value);
  } else if (value && typeof value === 'object') {
    Object.values(value as Record<string, unknown>).forEach((v) => readableText(v, out));
  }
  return out;
}

/** The history as the Temporal CLI exports it (proto JSON), which SDK replayers read. */
async function exportHistory(workflowId: string, runId: string): Promise<string> {
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

describe('what Temporal stores about a sync', () => {
  let stack: SyncStack;
  const histories: { label: string; history: History; workflowId: string; runId: string }[] = [];
  const secretKey = 'sk_test_tributary';
  const badKey = 'sk_live_TopSecretValue987654';

  beforeAll(async () => {
    stack = await startSyncStack({ customers: 40 });
    const client = stack.api.app.get(TemporalClientService).client;
    for (const [label, key, status] of [
      ['completed', secretKey, 'SUCCEEDED'],
      ['failed', badKey, 'FAILED'],
    ] as const) {
      const sourceId = await createStripeSource(stack, `History ${label}`, key);
      const run = await syncAndWait(stack, sourceId);
      expect(run.status).toBe(status);
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      histories.push({ label, history, workflowId: run.workflowId, runId: run.runId });
    }
  }, 120_000);
  afterAll(() => stack?.close());

  it('holds neither the credential nor any customer’s personal data, in a completed or a failed sync', async () => {
    const emails = (await emulatorCustomers(stack.stripe)).map((c) => c.email as string).filter(Boolean);
    expect(emails.length).toBeGreaterThan(0);
    for (const { label, history, workflowId } of histories) {
      const text = readableText(history).join('\n');
      // Non-vacuous: the decoded text does contain what we do put there (ids, names, our messages).
      expect(text).toContain(workflowId.split(':')[1]);
      expect(text).toContain('syncCloudApp');
      expect(text).not.toContain(secretKey);
      expect(text).not.toContain(badKey.slice(-6));
      for (const email of emails) {
        expect(text).not.toContain(email);
      }
      if (label === 'failed') {
        expect(text).toContain('Stripe rejected the secret key (401)');
      }
    }
  });

  it('replays deterministically: today’s histories and the committed fixture', async () => {
    const options = { workflowsPath: WORKFLOWS, bundlerOptions: workflowBundlerOptions() };
    const completed = histories[0];
    if (process.env.RECORD_WORKFLOW_FIXTURES === '1' || !existsSync(FIXTURE)) {
      writeFileSync(FIXTURE, await exportHistory(completed.workflowId, completed.runId));
    }
    const fixture: unknown = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    for (const [history, id] of [
      [completed.history, completed.workflowId],
      [histories[1].history, histories[1].workflowId],
      [fixture, 'committed fixture'],
    ] as const) {
      await expect(Worker.runReplayHistory(options, history, id)).resolves.toBeUndefined();
    }
  }, 120_000);
});
