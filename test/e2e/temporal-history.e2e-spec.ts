import {
  SYNC_WORKFLOW,
  type SyncWorkflowInput,
  TemporalClientService,
  WORKFLOW_TASK_QUEUE,
  makeSyncWorkflowId,
} from '@app/temporal';
import { Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundlerOptions } from '../../apps/worker/src/temporal/workflow-bundle';
import { ensureTemporal } from '../../scripts/lib/ensure-temporal';
import { requiredEnv } from '../utils/database';
import { type History, readableText } from '../utils/history';
import * as op from '../utils/operations';
import { control, createStripeSource, emulatorCustomers, syncAndWait, waitForRun } from '../utils/stripe-sync';
import { eventually, startSyncStack, type SyncStack } from '../utils/sync-stack';

const FIXTURES = join(__dirname, '..', '..', 'libs', 'sync', 'src', 'workflows', '__fixtures__');
// Engine v1 (syncCloudApp), whose runs must keep replaying until none remains; never re-recorded.
// Before the no-hang patches (issue 8 point 3), and with them.
const V1_FIXTURES = ['sync-cloud-app.history.json', 'sync-cloud-app.no-hang-patches.history.json'];
// Engine v2 (syncSourceObject), recorded from today's code; RECORD_WORKFLOW_FIXTURES=1 records it again.
const V2_FIXTURE = join(FIXTURES, 'sync-source-object.history.json');
// Engine v2 reading a first sync in `created` windows (issue 9 point 3); recorded the same way.
const V2_SLICED_FIXTURE = join(FIXTURES, 'sync-source-object.sliced.history.json');
const WORKFLOWS = require.resolve('../../apps/worker/src/workflows');

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

// Keys whose echoed fragments are distinctive: Stripe's 401 shows a key's last 4 characters, its 403 the last 6.
const SECRET_KEY = 'sk_test_tributary';
const BAD_KEY = 'sk_live_TopSecretValueQzXw';
const RESTRICTED_KEY = 'rk_test_RestrictedKeyZqYxWv';
// Provider error texts the emulator answers with (its own message instead of Stripe's).
const PROVIDER_TEXT = {
  500: 'PROVIDER-TEXT-500 upstream exploded near cus_secret',
  429: 'PROVIDER-TEXT-429 slow down, caller',
  400: 'PROVIDER-TEXT-400 your request smells',
};

/** Stripe's masking (emulators/stripe/src/auth.ts): type prefix kept, all but the last `visible` starred. */
function masked(key: string, visible: number): string {
  const prefix = /^[a-z]+_(?:test_|live_)?/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  return `${prefix}${'*'.repeat(rest.length - visible)}${rest.slice(-visible)}`;
}

describe('what Temporal stores about a sync', () => {
  let stack: SyncStack;
  const histories: { label: string; history: History; workflowId: string; runId: string }[] = [];
  let everything: { workflowId: string; text: string }[] = [];

  const statusCount = async (status: number): Promise<number> => {
    const stats = (await (await fetch(`${stack.stripe.url}/_emulator/stats`)).json()) as {
      byRoute: Record<string, Record<string, number>>;
    };
    return Object.values(stats.byRoute).reduce((n, byStatus) => n + (byStatus[String(status)] ?? 0), 0);
  };

  beforeAll(async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    stack = await startSyncStack({ customers: 40, restrictedKeys: [RESTRICTED_KEY] });
    const client = stack.api.app.get(TemporalClientService).client;
    const runs = [
      // Retried provider errors, each with its own text, before the sync completes. Temporal keeps only the
      // failure of the attempt before the one that succeeded: each order leaves the other text in history.
      ['completed', SECRET_KEY, 'SUCCEEDED', [429, 500]],
      ['throttled', SECRET_KEY, 'SUCCEEDED', [500, 429]],
      ['failed', BAD_KEY, 'FAILED', []],
      ['forbidden', RESTRICTED_KEY, 'FAILED', []],
      ['refused', SECRET_KEY, 'FAILED', [400]],
    ] as const;
    for (const [label, key, status, faults] of runs) {
      const sourceId = await createStripeSource(stack, `History ${label}`, key);
      for (const fault of faults) {
        await control(stack.stripe, '/faults', { status: fault, message: PROVIDER_TEXT[fault], count: 1 });
      }
      const run = await syncAndWait(stack, sourceId);
      expect(run.status).toBe(status);
      expect(run.error ?? '').not.toMatch(/PROVIDER-TEXT|QzXw|ZqYxWv/);
      if (status === 'SUCCEEDED') {
        expect(run.retries).toBe(2);
      }
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      histories.push({ label, history, workflowId: run.workflowId, runId: run.runId });
    }
    // A first sync read in 4 `created` windows at once: its history holds ids and counts only, too.
    const slicedSource = await createStripeSource(stack, 'History sliced');
    const input: SyncWorkflowInput = { sourceId: slicedSource, object: 'customers', mode: 'FULL_REFRESH', slices: 4 };
    const workflowId = makeSyncWorkflowId(slicedSource, 'customers');
    const handle = await client.workflow.start(SYNC_WORKFLOW, {
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowId,
      args: [input],
    });
    expect((await waitForRun(stack, slicedSource, handle.firstExecutionRunId)).status).toBe('SUCCEEDED');
    const slicedHistory = await handle.fetchHistory();
    expect(readableText(slicedHistory).join('\n')).toContain('syncSliceBatch');
    histories.push({ label: 'sliced', history: slicedHistory, workflowId, runId: handle.firstExecutionRunId });
    // A connection check with the bad key keeps its answer in Temporal too.
    const badId = (await stack.call(op.SOURCES, {})).sources.edges.find(
      (e: { node: { name: string } }) => e.node.name === 'History failed',
    ).node.id as string;
    expect((await stack.call(op.CHECK_CONNECTION, { id: badId })).checkSourceConnection.ok).toBe(false);
    // Every workflow this file started (syncs and the check), read in full.
    everything = await eventually(async () => {
      const found: { workflowId: string; text: string }[] = [];
      for await (const wf of client.workflow.list({ query: `StartTime >= '${since}'` })) {
        const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
        found.push({ workflowId: wf.workflowId, text: readableText(history).join('\n') });
      }
      return found.length >= runs.length + 2 ? found : undefined;
    }, 'every workflow of this file in the visibility store');
  }, 180_000);
  afterAll(() => stack?.close());

  it('holds neither a credential nor any customer’s personal data, in a completed or a failed sync', async () => {
    const emails = (await emulatorCustomers(stack.stripe)).map((c) => c.email as string).filter(Boolean);
    expect(emails.length).toBeGreaterThan(0);
    for (const { label, history, workflowId } of histories) {
      const text = readableText(history).join('\n');
      // Non-vacuous: the decoded text does contain what we do put there (ids, names, our messages).
      expect(text).toContain(workflowId.split(':')[1]);
      expect(text).toContain(SYNC_WORKFLOW);
      for (const email of emails) {
        expect(text).not.toContain(email);
      }
      if (label === 'failed') {
        expect(text).toContain('Stripe rejected the secret key (401)');
      }
      if (label === 'forbidden') {
        expect(text).toContain('The Stripe key lacks permission');
      }
    }
  });

  it('holds no key, nor the fragments Stripe echoes, nor any provider error text, in any workflow', async () => {
    // The emulator did answer every one of those errors. The restricted key's 403 comes twice: on the
    // account lookup (GET /v1/account; only the account id its text names is kept) and on the listing.
    expect(await statusCount(401)).toBeGreaterThanOrEqual(2);
    expect([await statusCount(403), await statusCount(500), await statusCount(429), await statusCount(400)]).toEqual([
      2, 2, 2, 1,
    ]);
    expect(everything.some((w) => w.workflowId.startsWith('check:'))).toBe(true);
    const forbidden = [
      SECRET_KEY,
      BAD_KEY,
      RESTRICTED_KEY,
      BAD_KEY.slice('sk_live_'.length),
      masked(BAD_KEY, 4),
      BAD_KEY.slice(-4),
      masked(RESTRICTED_KEY, 6),
      RESTRICTED_KEY.slice(-6),
      // Stripe's own wording of the 401 and 403, and the emulator's injected texts.
      'Invalid API Key provided',
      'does not have the required permissions',
      'PROVIDER-TEXT',
      ...Object.values(PROVIDER_TEXT),
    ];
    for (const { workflowId, text } of everything) {
      for (const fragment of forbidden) {
        expect({ workflowId, found: text.includes(fragment) ? fragment : undefined }).toEqual({
          workflowId,
          found: undefined,
        });
      }
    }
  });

  it('replays deterministically: today’s histories and the committed fixtures of earlier code', async () => {
    const options = { workflowsPath: WORKFLOWS, bundlerOptions: workflowBundlerOptions() };
    const completed = histories[0];
    if (process.env.RECORD_WORKFLOW_FIXTURES === '1' || !existsSync(V2_FIXTURE)) {
      writeFileSync(V2_FIXTURE, await exportHistory(completed.workflowId, completed.runId));
    }
    const sliced = histories.find((h) => h.label === 'sliced')!;
    if (process.env.RECORD_WORKFLOW_FIXTURES === '1' || !existsSync(V2_SLICED_FIXTURE)) {
      writeFileSync(V2_SLICED_FIXTURE, await exportHistory(sliced.workflowId, sliced.runId));
    }
    const fixture = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
    for (const [history, id] of [
      ...histories.map((h) => [h.history, `${h.label} ${h.workflowId}`] as const),
      ...V1_FIXTURES.map((name) => [fixture(join(FIXTURES, name)), `committed engine v1 fixture ${name}`] as const),
      [fixture(V2_FIXTURE), 'committed engine v2 fixture'] as const,
      [fixture(V2_SLICED_FIXTURE), 'committed engine v2 sliced fixture'] as const,
    ]) {
      await expect(Worker.runReplayHistory(options, history, id)).resolves.toBeUndefined();
    }
  }, 120_000);
});
