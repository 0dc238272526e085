import { SourceKind, SourceStatus } from '@app/common';
import { SourceEntity } from '@app/database';
import {
  STRIPE_EVENT_WORKFLOW,
  type StripeEventInput,
  SourceIdKey,
  SourceKindKey,
  TemporalClientService,
  WORKFLOW_TASK_QUEUE,
  WorkspaceIdKey,
  makeStripeEventWorkflowId,
} from '@app/temporal';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { verifyStripeSignature } from './stripe-signature';
import { StripeWebhookEventsStore } from './stripe-webhook-events.store';
import { WebhookSecretsStore } from './webhook-secrets.store';

/** A delivery whose signature verified: the source it is for and the event id, nothing of the body. */
export interface VerifiedStripeDelivery {
  sourceId: string;
  workspaceId: string;
  eventId: string;
}

export interface WebhookRefusal {
  ok: false;
  status: 400 | 404 | 409 | 410 | 503;
  /** What is wrong, for the sender and the log; never a secret or the body. */
  reason: string;
}

export type WebhookAnswer = { ok: true; duplicate: boolean } | WebhookRefusal;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_ID = /^evt_[A-Za-z0-9_]{1,251}$/;
const START_DEADLINE_MS = 5_000;

/**
 * Receives `POST /webhooks/stripe/<sourceId>` (apps/ingest): verifies the delivery, then records its event
 * id and starts the workflow that applies it, in one transaction. Only the event id crosses into Temporal.
 *
 * Decided: an unknown id or a source of another kind is a 404, a deleted source a 410 (Stripe retries
 * either for days, then disables the endpoint: delete the endpoint with the source). A PAUSED or DISABLED
 * source answers 409 after the signature verified: Stripe retries the delivery, and whatever it no longer
 * retries the next incremental sync reads from /v1/events once the source is resumed.
 */
@Injectable()
export class StripeWebhookReceiver {
  private readonly logger = new Logger('StripeWebhooks');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly secrets: WebhookSecretsStore,
    private readonly events: StripeWebhookEventsStore,
    private readonly temporal: TemporalClientService,
  ) {}

  /** Checks the source and the signature, then reads the event id; a refusal is logged once. */
  async authenticate(
    sourceId: string,
    signature: string | undefined,
    rawBody: Buffer,
  ): Promise<{ ok: true; delivery: VerifiedStripeDelivery } | WebhookRefusal> {
    const result = await this.check(sourceId, signature, rawBody);
    if (!result.ok) {
      this.logger.warn({ sourceId, status: result.status, reason: result.reason }, 'Stripe webhook refused');
    }
    return result;
  }

  /**
   * Records the event id and starts its workflow before the transaction commits: a failed start rolls the
   * record back (the sender gets a 503 and retries), and a start whose commit then fails is found again
   * by its workflow id on the retry. So an acknowledged event is always started, and started once.
   */
  async accept(delivery: VerifiedStripeDelivery): Promise<WebhookAnswer> {
    const { sourceId, eventId } = delivery;
    try {
      const fresh = await this.db.transaction(async (em) => {
        if (!(await this.events.recordIfNew(em, sourceId, eventId))) {
          return false;
        }
        await this.start(delivery);
        return true;
      });
      this.logger.log(
        { sourceId, eventId, duplicate: !fresh },
        fresh ? 'Stripe event accepted' : 'Stripe event duplicate',
      );
      return { ok: true, duplicate: !fresh };
    } catch (error) {
      this.logger.error({ sourceId, eventId, err: error }, 'Stripe event not recorded; the sender retries');
      return { ok: false, status: 503, reason: 'The event could not be recorded now; retry later' };
    }
  }

  private async start({ sourceId, workspaceId, eventId }: VerifiedStripeDelivery): Promise<void> {
    // Bounded: Stripe waits seconds, not minutes, for an answer; a 503 makes it retry later.
    const deadline = Date.now() + START_DEADLINE_MS;
    await this.temporal.connection.withDeadline(deadline, () => this.workflowStart(sourceId, eventId, workspaceId));
  }

  private workflowStart(sourceId: string, eventId: string, workspaceId: string): Promise<unknown> {
    const input: StripeEventInput = { sourceId, eventId };
    return this.temporal.client.workflow.start(STRIPE_EVENT_WORKFLOW, {
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowId: makeStripeEventWorkflowId(sourceId, eventId),
      args: [input],
      // A retry after a lost commit finds the run it started: no second run while it is open.
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: SourceIdKey, value: sourceId },
        { key: SourceKindKey, value: SourceKind.STRIPE },
        { key: WorkspaceIdKey, value: workspaceId },
      ],
    });
  }

  private async check(
    sourceId: string,
    signature: string | undefined,
    rawBody: Buffer,
  ): Promise<{ ok: true; delivery: VerifiedStripeDelivery } | WebhookRefusal> {
    const source = UUID.test(sourceId)
      ? await this.db.getRepository(SourceEntity).findOne({
          select: { id: true, kind: true, status: true, workspaceId: true, deletedAt: true },
          where: { id: sourceId },
        })
      : null;
    if (!source || source.kind !== SourceKind.STRIPE) {
      return refuse(404, `No Stripe source has the id "${sourceId.slice(0, 64)}"`);
    }
    if (source.deletedAt) {
      return refuse(410, 'This source was deleted: delete its webhook endpoint in Stripe, or restore the source');
    }
    const secrets = await this.secrets.accepted(sourceId);
    if (secrets.length === 0) {
      return refuse(
        400,
        'This source has no webhook secret yet: run registerStripeWebhook or set stripe.webhookSecret',
      );
    }
    const verified = verifyStripeSignature(signature, rawBody, secrets, Math.floor(Date.now() / 1000));
    if (!verified.ok) {
      return refuse(400, verified.reason);
    }
    if (source.status !== SourceStatus.ACTIVE) {
      return refuse(409, `This source is ${source.status}: resume it to receive webhooks (Stripe retries meanwhile)`);
    }
    const eventId = eventIdOf(rawBody);
    if (!eventId) {
      return refuse(400, 'The body must be a Stripe event: a JSON object with "object": "event" and an evt_ id');
    }
    return { ok: true, delivery: { sourceId, workspaceId: source.workspaceId, eventId } };
  }
}

function refuse(status: WebhookRefusal['status'], reason: string): WebhookRefusal {
  return { ok: false, status, reason };
}

function eventIdOf(rawBody: Buffer): string | null {
  try {
    const event = JSON.parse(rawBody.toString('utf8')) as unknown;
    if (typeof event !== 'object' || event === null) {
      return null;
    }
    const { id, object } = event as { id?: unknown; object?: unknown };
    return object === 'event' && typeof id === 'string' && EVENT_ID.test(id) ? id : null;
  } catch {
    return null;
  }
}
