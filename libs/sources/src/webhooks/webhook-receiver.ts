import { SourceStatus } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { SignedRequest } from '@app/connectors';
import { SourceEntity } from '@app/database';
import {
  WEBHOOK_EVENT_WORKFLOW,
  type WebhookEventInput,
  SourceIdKey,
  SourceKindKey,
  TemporalClientService,
  WORKFLOW_TASK_QUEUE,
  WorkspaceIdKey,
  makeWebhookEventWorkflowId,
} from '@app/temporal';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type WebhookApp, webhookApp } from './webhook-apps';
import { WebhookEventsStore } from './webhook-events.store';
import { WebhookSecretsStore } from './webhook-secrets.store';

/** A delivery whose signature verified: the source it is for and its events' ids, nothing else of the body. */
export interface VerifiedDelivery {
  app: string;
  sourceId: string;
  workspaceId: string;
  events: { eventId: string; changeId: string | null }[];
}

export interface WebhookRefusal {
  ok: false;
  status: 400 | 401 | 404 | 409 | 410 | 503;
  /** What is wrong, for the sender and the log; never a secret or the body. */
  reason: string;
}

export type WebhookAnswer = { ok: true; duplicate: boolean } | WebhookRefusal;

/** The request as received: `pathAndQuery` is appended to INGEST_PUBLIC_URL to rebuild the URI the app signed. */
export type ReceivedRequest = Omit<SignedRequest, 'url'> & { pathAndQuery: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const START_DEADLINE_MS = 5_000;

/**
 * Receives `POST /webhooks/<app>/<sourceId>` (apps/ingest) for every app whose connector definition has
 * `webhooks`: verifies the delivery with the app's check, then records each event id and starts the workflow
 * that applies it, in one transaction. Only ids cross into Temporal.
 *
 * Decided: an unknown id or a source of another kind is a 404, a deleted source a 410 (apps retry either,
 * then give up or disable the endpoint). A PAUSED or DISABLED source answers 409 after the signature
 * verified: the app retries the delivery, and whatever it no longer retries the next incremental sync reads
 * from the app's change log once the source is resumed.
 */
@Injectable()
export class WebhookReceiver {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly secrets: WebhookSecretsStore,
    private readonly events: WebhookEventsStore,
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks the source, the signature and the body, then reads the events' ids; a refusal is logged once. */
  async authenticate(
    appKey: string,
    sourceId: string,
    request: ReceivedRequest,
  ): Promise<{ ok: true; delivery: VerifiedDelivery } | WebhookRefusal> {
    const app = webhookApp(appKey);
    const result = await this.check(app, sourceId, request);
    if (!result.ok) {
      this.logger.warn({ sourceId, status: result.status, reason: result.reason }, `${app.name} webhook refused`);
    }
    return result;
  }

  /**
   * Records the events' ids and starts their workflows before the transaction commits: a failed start rolls
   * every record back (the sender gets a 503 and retries the delivery), and a start whose commit then fails is
   * found again by its workflow id on the retry. So an acknowledged event is always started, and started once.
   */
  async accept(delivery: VerifiedDelivery): Promise<WebhookAnswer> {
    const { app, sourceId } = delivery;
    const { name } = webhookApp(app);
    const eventIds = delivery.events.map((e) => e.eventId);
    try {
      const fresh = await this.db.transaction(async (em) => {
        const recorded: VerifiedDelivery['events'] = [];
        for (const event of delivery.events) {
          if (await this.events.recordIfNew(em, app, sourceId, event.eventId)) {
            recorded.push(event);
          }
        }
        const deadline = Date.now() + START_DEADLINE_MS;
        // Bounded: apps wait seconds, not minutes, for an answer; a 503 makes them retry later.
        await this.temporal.connection.withDeadline(deadline, () =>
          Promise.all(recorded.map((event) => this.start(delivery, event))),
        );
        return recorded.length;
      });
      const duplicate = fresh === 0;
      this.logger.log(
        { sourceId, ...(eventIds.length === 1 ? { eventId: eventIds[0] } : { eventIds }), duplicate },
        duplicate ? `${name} event duplicate` : `${name} event accepted`,
      );
      return { ok: true, duplicate };
    } catch (error) {
      this.logger.error({ sourceId, eventIds, err: error }, `${name} event not recorded; the sender retries`);
      return { ok: false, status: 503, reason: 'The event could not be recorded now; retry later' };
    }
  }

  private async start(
    { app, sourceId, workspaceId }: VerifiedDelivery,
    { eventId, changeId }: VerifiedDelivery['events'][number],
  ): Promise<void> {
    if (changeId === null) {
      return; // acknowledged, nothing to read (the app's events parser says why)
    }
    const input: WebhookEventInput = { sourceId, eventId, ...(changeId === eventId ? {} : { changeId }) };
    await this.temporal.client.workflow.start(WEBHOOK_EVENT_WORKFLOW, {
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowId: makeWebhookEventWorkflowId(app, sourceId, eventId),
      args: [input],
      // A retry after a lost commit finds the run it started: no second run while it is open.
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: SourceIdKey, value: sourceId },
        { key: SourceKindKey, value: webhookApp(app).kind },
        { key: WorkspaceIdKey, value: workspaceId },
      ],
    });
  }

  private async check(
    app: WebhookApp,
    sourceId: string,
    request: ReceivedRequest,
  ): Promise<{ ok: true; delivery: VerifiedDelivery } | WebhookRefusal> {
    const source = UUID.test(sourceId)
      ? await this.db.getRepository(SourceEntity).findOne({
          select: { id: true, kind: true, status: true, workspaceId: true, deletedAt: true },
          where: { id: sourceId },
        })
      : null;
    if (!source || source.kind !== app.kind) {
      return refuse(404, `No ${app.name} source has the id "${sourceId.slice(0, 64)}"`);
    }
    if (source.deletedAt) {
      return refuse(410, `This source was deleted: delete its webhook endpoint in ${app.name}, or restore the source`);
    }
    const secrets = await this.secrets.accepted(sourceId);
    if (secrets.length === 0) {
      // Registering gives a secret only where each endpoint has its own (Stripe); else the app's is set by hand.
      const register =
        app.webhooks.register && app.webhooks.signingKey === 'endpoint' ? 'register its webhook or ' : '';
      return refuse(400, `This source has no webhook secret yet: ${register}set ${app.key}.webhookSecret`);
    }
    const url = `${this.config.ingest.publicUrl}${request.pathAndQuery}`;
    const verified = app.webhooks.verify({ ...request, url }, secrets, Date.now());
    if (!verified.ok) {
      return refuse(app.webhooks.refusedStatus, verified.reason);
    }
    if (source.status !== SourceStatus.ACTIVE) {
      return refuse(
        409,
        `This source is ${source.status}: resume it to receive webhooks (${app.name} retries meanwhile)`,
      );
    }
    const events = app.webhooks.events(request.body, request.header);
    if (!Array.isArray(events)) {
      return refuse(400, events.problem);
    }
    return { ok: true, delivery: { app: app.key, sourceId, workspaceId: source.workspaceId, events } };
  }
}

function refuse(status: WebhookRefusal['status'], reason: string): WebhookRefusal {
  return { ok: false, status, reason };
}
