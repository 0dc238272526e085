import { postGraphql } from './admin-token';
import type { StripeCounts } from './dev-stripe';

// What --smoke proves end to end: api → Temporal → worker (per-source queue) → Stripe emulator → Postgres, for
// every object a Stripe source syncs.
const CREATE = `mutation { createSource(input: { name: "Smoke Stripe", kind: STRIPE, environment: DEVELOPMENT }) { id webhookUrl } }`;
const credentials = (id: string): string =>
  `mutation { setSourceCredentials(input: { sourceId: "${id}", stripe: { secretKey: "sk_test_tributary" } }) { isSet } }`;
const served = (id: string): string => `{ source(id: "${id}") { taskQueues { taskQueue } } }`;
const trigger = (id: string, object: string): string =>
  `mutation { triggerSourceSync(sourceId: "${id}", object: "${object}") { runId } }`;
const runs = (id: string): string =>
  `{ syncRuns(sourceId: "${id}", first: 20) { edges { node { object status recordsInserted error } } } }`;

interface RunNode {
  object: string;
  status: string;
  recordsInserted: number;
  error: string | null;
}

async function data(apiUrl: string, token: string, query: string): Promise<any> {
  const answer = await postGraphql(apiUrl, token, query);
  const body = answer.body as { data?: unknown; errors?: unknown };
  if (answer.status !== 200 || body.errors) {
    throw new Error(`${query} answered HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return body.data;
}

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/**
 * Creates a Stripe source (its webhook URL must point at this stack's ingest), syncs each of its objects from the
 * emulator in turn and checks that each first sync inserted exactly what the emulator serves.
 */
export async function checkStripeSync(
  apiUrl: string,
  token: string,
  expected: StripeCounts,
  ingestUrl: string,
): Promise<void> {
  const { id, webhookUrl } = (await data(apiUrl, token, CREATE)).createSource as { id: string; webhookUrl: string };
  if (webhookUrl !== `${ingestUrl}/webhooks/stripe/${id}`) {
    throw new Error(`the Stripe source's webhookUrl is ${webhookUrl}, expected ${ingestUrl}/webhooks/stripe/${id}`);
  }
  await data(apiUrl, token, credentials(id));
  await poll('the worker to serve the source queue', 15_000, async () =>
    (await data(apiUrl, token, served(id))).source.taskQueues.length > 0 ? true : undefined,
  );
  for (const [object, count] of Object.entries(expected)) {
    await data(apiUrl, token, trigger(id, object));
    const run = await poll(`the ${object} sync to finish`, 60_000, async () => {
      const nodes = ((await data(apiUrl, token, runs(id))).syncRuns.edges as { node: RunNode }[]).map((e) => e.node);
      const node = nodes.find((candidate) => candidate.object === object);
      return node && node.status !== 'RUNNING' ? node : undefined;
    });
    if (run.status !== 'SUCCEEDED' || run.recordsInserted !== count) {
      throw new Error(
        `the ${object} sync ended ${run.status} with ${run.recordsInserted} inserted (expected ${count})` +
          (run.error ? `: ${run.error}` : ''),
      );
    }
  }
}
