// A quarantine replay survives kill -9 of its worker: the real worker as its own OS process, killed while
// the replay is part-way, then started again; the replay resumes from its last committed page and ends with
// every event stored exactly once and counted exactly once.
import { QuarantineReplays, WRITE_KEY_CACHE_MS } from '@app/ingestion';
import {
  REPLAY_QUARANTINE_WORKFLOW,
  type ReplayQuarantineInput,
  TemporalClientService,
  WORKFLOW_TASK_QUEUE,
  makeReplayWorkflowId,
} from '@app/temporal';
import { randomUUID } from 'node:crypto';
import { type TestApi, startTestApi } from '../utils/api';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';
import { gql } from '../utils/gql';
import { type TestIngest, startTestIngest } from '../utils/ingest';
import { SET_TRACKING_PLAN, rowCount, sendBatch, webSourceWithKey } from '../utils/quarantine';
import { eventually } from '../utils/sync-stack';
import { type WorkerProcess, spawnWorker } from '../utils/worker-process';

const EVENTS = 1500;
const PAGE_SIZE = 10;

describe('quarantine replay durability', () => {
  let api: TestApi;
  let ingest: TestIngest;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi({ TEMPORAL_ADDRESS: requiredEnv('TEST_TEMPORAL_ADDRESS') });
    ingest = await startTestIngest();
  }, 120_000);
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await ingest?.close();
    await api?.close();
  });

  async function setPlan(token: string, sourceId: string, names: string[]): Promise<void> {
    const trackingPlan = { mode: 'BLOCK', events: names.map((name) => ({ name })) };
    const res = await gql<any>(
      api.url,
      SET_TRACKING_PLAN,
      { input: { id: sourceId, trackingConfig: { trackingPlan } } },
      token,
    );
    expect(res.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, WRITE_KEY_CACHE_MS + 100));
  }

  const progress = async (replayId: string) =>
    (
      await queryTestDb<{ status: string; scanned: number; replayed: number; still_quarantined: number }>(
        'SELECT status, scanned, replayed, still_quarantined FROM quarantine_replays WHERE id = $1',
        [replayId],
      )
    )[0];

  it('resumes exactly after kill -9 of the worker mid-replay', async () => {
    const { workspaceId, adminToken } = await api.createWorkspace('Durable');
    const { sourceId, key } = await webSourceWithKey(api, workspaceId, 'durable');
    await setPlan(adminToken, sourceId, ['Allowed']);
    for (let start = 0; start < EVENTS; start += 100) {
      const batch = Array.from({ length: 100 }, (_, i) => ({
        type: 'track',
        messageId: `held-${start + i}`,
        userId: 'u1',
        event: 'Held',
      }));
      expect((await sendBatch(ingest.url, key, batch)).quarantined).toBe(100);
    }
    await setPlan(adminToken, sourceId, ['Allowed', 'Held']);

    // The mutation's own path with a small page (the mutation uses the default of 200): many pages to kill in.
    const replayId = randomUUID();
    const workflowId = makeReplayWorkflowId(sourceId, replayId);
    await api.app.get(QuarantineReplays).create(replayId, sourceId, workflowId, {});
    const input: ReplayQuarantineInput = { replayId, pageSize: PAGE_SIZE };
    const client = api.app.get(TemporalClientService).client;
    const handle = await client.workflow.start(REPLAY_QUARANTINE_WORKFLOW, {
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowId,
      args: [input],
    });

    worker = spawnWorker(api.config, {});
    await worker.ready(120_000);
    await eventually(
      async () => ((await progress(replayId)).scanned >= 100 ? true : undefined),
      'a few pages',
      60_000,
      20,
    );
    worker.child.kill('SIGKILL');
    await worker.exited;
    const atKill = await progress(replayId);
    expect(atKill.status).toBe('running');
    expect(atKill.scanned).toBeLessThan(EVENTS);

    worker = spawnWorker(api.config, {});
    await worker.ready(120_000);
    await handle.result();
    expect(await progress(replayId)).toEqual({
      status: 'completed',
      scanned: EVENTS,
      replayed: EVENTS,
      still_quarantined: 0,
    });
    const id = [sourceId];
    expect(await rowCount('SELECT count(*) AS n FROM events WHERE source_id = $1', id)).toBe(EVENTS);
    expect(await rowCount('SELECT count(DISTINCT message_id) AS n FROM events WHERE source_id = $1', id)).toBe(EVENTS);
    expect(
      await rowCount(`SELECT count(*) AS n FROM quarantined_events WHERE source_id = $1 AND status = 'replayed'`, id),
    ).toBe(EVENTS);
    // Counted once, as accepted: a page retried after its events' commit counts its own writes as accepted.
    const counted = async () =>
      Object.fromEntries(
        (
          await queryTestDb<{ status: string; n: string }>(
            'SELECT status, sum(count)::text AS n FROM ingestion_counters WHERE source_id = $1 GROUP BY 1 ORDER BY 1',
            id,
          )
        ).map((r) => [r.status, Number(r.n)]),
      );
    const expected = JSON.stringify({ accepted: EVENTS, quarantined: 0 });
    // Ingest adds its quarantined counts every INGESTION_LOG_FLUSH_MS; the replay's moves are additive too.
    await eventually(async () => (JSON.stringify(await counted()) === expected ? true : undefined), 'counts', 30_000);
  }, 400_000);
});
