import { DomainException, SourceKind, SourceStatus, webhookUrl } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CONNECTOR_DEFINITIONS, connectorDefinition } from '@app/connectors';
import { SourceCredentialEntity } from '@app/database';
import {
  REGISTER_WEBHOOK_WORKFLOW,
  type RegisterWebhookInput,
  type RegisterWebhookResult,
  SourceIdKey,
  SourceKindKey,
  TemporalClientService,
  WORKFLOW_TASK_QUEUE,
  WorkspaceIdKey,
  makeWebhookRegistrationWorkflowId,
} from '@app/temporal';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TimeoutFailure, WorkflowFailedError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { findLiveSource } from '../source-lookup';

// As for connection checks: wait this long for the source's worker, and bound the whole call.
const SCHEDULE_TO_START_MS = 10_000;
const EXECUTION_TIMEOUT_MS = 60_000;

export interface WebhookRegistration {
  endpointId: string;
  endpointIds: string[];
  url: string;
  replacedEndpoints: number;
}

/** Registers a source's webhook endpoint with its app, through a workflow (the api never calls cloud apps). */
@Injectable()
export class SourceWebhooksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** registerStripeWebhook: kept for the clients that call it; registerSourceWebhook does the same. */
  async registerStripe(workspaceId: string, sourceId: string): Promise<WebhookRegistration> {
    const source = await findLiveSource(this.db.manager, workspaceId, sourceId);
    if (source.kind !== SourceKind.STRIPE) {
      throw DomainException.invalid(`This is a ${source.kind} source; registerStripeWebhook takes a STRIPE source`);
    }
    return this.register(workspaceId, sourceId);
  }

  /** Registers the webhook endpoint of any source whose app registers endpoints through its API. */
  async register(workspaceId: string, sourceId: string): Promise<WebhookRegistration> {
    const source = await findLiveSource(this.db.manager, workspaceId, sourceId);
    refuseUnregistrable(source.kind);
    if (source.status !== SourceStatus.ACTIVE) {
      throw DomainException.conflict(`Source is ${source.status}: resume it to register its webhook`);
    }
    if (!(await this.db.getRepository(SourceCredentialEntity).existsBy({ sourceId }))) {
      throw DomainException.invalid('Source has no credentials; set them with setSourceCredentials first');
    }
    const url = webhookUrl(this.config.ingest.publicUrl, source.kind, sourceId)!;
    const input = { sourceId, url, scheduleToStartTimeoutMs: SCHEDULE_TO_START_MS };
    const result = await this.run(input, source.kind, workspaceId);
    if (!result.ok) {
      throw result.problem === 'unserved'
        ? DomainException.conflict(`${result.message}: is the worker running?`)
        : DomainException.invalid(result.message);
    }
    const endpointIds = result.endpointIds ?? [result.endpointId];
    return { endpointId: result.endpointId, endpointIds, url, replacedEndpoints: result.replacedEndpoints };
  }

  private async run(
    input: RegisterWebhookInput,
    kind: SourceKind,
    workspaceId: string,
  ): Promise<RegisterWebhookResult> {
    try {
      return await this.temporal.client.workflow.execute<
        (input: RegisterWebhookInput) => Promise<RegisterWebhookResult>
      >(REGISTER_WEBHOOK_WORKFLOW, {
        taskQueue: WORKFLOW_TASK_QUEUE,
        workflowId: makeWebhookRegistrationWorkflowId(input.sourceId),
        args: [input],
        // A second call while one runs waits for that one: two at once would delete each other's endpoint.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowExecutionTimeout: EXECUTION_TIMEOUT_MS,
        typedSearchAttributes: [
          { key: SourceIdKey, value: input.sourceId },
          { key: SourceKindKey, value: kind },
          { key: WorkspaceIdKey, value: workspaceId },
        ],
      });
    } catch (error) {
      if (error instanceof WorkflowFailedError && error.cause instanceof TimeoutFailure) {
        throw DomainException.conflict(
          `No Tributary worker finished the registration within ${EXECUTION_TIMEOUT_MS / 1000} s: is the worker running?`,
        );
      }
      throw error;
    }
  }
}

/** A source whose app has no webhooks, or has them set up in the app itself, is refused with what to do. */
function refuseUnregistrable(kind: SourceKind): void {
  const webhooks = connectorDefinition(kind)?.webhooks;
  if (webhooks?.register) {
    return;
  }
  const registrable = CONNECTOR_DEFINITIONS.filter((d) => d.webhooks && 'register' in d.webhooks).map((d) => d.kind);
  throw DomainException.invalid(
    webhooks
      ? `${webhooks.name} webhooks are set up in ${webhooks.name} itself: point them at the source's webhookUrl ` +
          `and set its webhookSecret with setSourceCredentials`
      : `This is a ${kind} source, which receives no cloud-app webhooks; registerSourceWebhook takes a ` +
          `${registrable.join(' or ')} source`,
  );
}
