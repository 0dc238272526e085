// The Stripe webhook e2e specs' shared stack: the real ingest (its URL is the api's INGEST_PUBLIC_URL, so
// webhookUrl points at it), the sync stack with the Stripe emulator, stripe-node on the emulator, a Temporal
// client, and the helpers both specs use. Signatures come from stripe-node's own test signer: an
// implementation independent of the one under test.
import { defaultPayloadConverter } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { queryTestDb, requiredEnv } from './database';
import { startTestIngest, type TestIngest } from './ingest';
import * as op from './operations';
import { startSyncStack, type SyncStack } from './sync-stack';

const signer = new Stripe('sk_test_unused');
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function sign(body: string, secret: string, timestamp = nowSeconds()): string {
  return signer.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
}

export function eventBody(id = `evt_${randomBytes(12).toString('hex')}`): string {
  return JSON.stringify(
    { id, object: 'event', type: 'customer.updated', data: { object: { id: 'cus_X', email: 'pii@example.test' } } },
    null,
    2,
  );
}

export const fakeSecret = (): string => `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'a')}`;

export interface StripeWebhookHarness {
  /** The keyring ingest and the api share. */
  keys: string;
  ingest: TestIngest;
  stack: SyncStack;
  stripe: Stripe;
  temporal: Client;
  /** Event workflows started by a test: terminated at close (their type is another part's). */
  started: string[];
  post(sourceId: string, body: string | Buffer, headers?: Record<string, string>): Promise<Response>;
  dedupeRows(sourceId: string): Promise<string[]>;
  setWebhookSecret(sourceId: string, webhookSecret: string): Promise<unknown>;
  /** The executions with this workflow id (every run). */
  runsOf(workflowId: string): Promise<number>;
  /** The workflow's type, queue, search attributes and start input, as Temporal recorded them. */
  startOf(workflowId: string): Promise<{
    type: string;
    taskQueue: string;
    searchAttributes: unknown;
    input: unknown[];
  }>;
  close(): Promise<void>;
}

export async function startStripeWebhookHarness(): Promise<StripeWebhookHarness> {
  const keys = `v1:${randomBytes(32).toString('base64')}`;
  // Ingest first: its URL is the api's INGEST_PUBLIC_URL. One keyring for all.
  const ingest = await startTestIngest({ ENCRYPTION_KEYS: keys, LOG_LEVEL: 'info' });
  const stack = await startSyncStack({
    customers: 5,
    apiEnv: { INGEST_PUBLIC_URL: ingest.url, ENCRYPTION_KEYS: keys },
  });
  const stripe = new Stripe('sk_test_tributary', { host: '127.0.0.1', port: stack.stripe.port, protocol: 'http' });
  const connection = await Connection.connect({ address: requiredEnv('TEST_TEMPORAL_ADDRESS') });
  const temporal = new Client({ connection });
  const started: string[] = [];
  return {
    keys,
    ingest,
    stack,
    stripe,
    temporal,
    started,
    post: (sourceId, body, headers = {}) =>
      fetch(`${ingest.url}/webhooks/stripe/${sourceId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
        body,
      }),
    dedupeRows: async (sourceId) =>
      (
        await queryTestDb<{ event_id: string }>(
          'SELECT event_id FROM stripe_webhook_events WHERE source_id = $1 ORDER BY event_id',
          [sourceId],
        )
      ).map((r) => r.event_id),
    setWebhookSecret: (sourceId, webhookSecret) =>
      stack.call(op.SET_CREDENTIALS, {
        input: { sourceId, stripe: { secretKey: 'sk_test_tributary', webhookSecret } },
      }),
    runsOf: async (workflowId) => {
      let n = 0;
      for await (const _ of temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
        n++;
      }
      return n;
    },
    startOf: async (workflowId) => {
      const handle = temporal.workflow.getHandle(workflowId);
      const described = await handle.describe();
      const history = await handle.fetchHistory();
      const attrs = history.events![0].workflowExecutionStartedEventAttributes!;
      return {
        type: described.type,
        taskQueue: described.taskQueue,
        searchAttributes: described.typedSearchAttributes,
        input: (attrs.input?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p)),
      };
    },
    close: async () => {
      for (const id of started) {
        await temporal.workflow
          .getHandle(id)
          .terminate('test over')
          .catch(() => undefined);
      }
      await connection.close();
      await stack.close();
      await ingest.close();
    },
  };
}
