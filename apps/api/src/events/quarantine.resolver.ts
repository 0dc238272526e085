import { randomUUID } from 'node:crypto';
import { AllowRoles, CurrentActor } from '@app/auth/graphql';
import { type Actor, DomainException, Role, SourceStatus, isEventStreamKind } from '@app/common';
import { QuarantineReader, QuarantineReplays, type ReplayView } from '@app/ingestion';
import { SourcesService } from '@app/sources';
import {
  REPLAY_QUARANTINE_WORKFLOW,
  type ReplayQuarantineInput,
  SourceIdKey,
  SourceKindKey,
  TemporalClientService,
  WORKFLOW_TASK_QUEUE,
  WorkspaceIdKey,
  makeReplayWorkflowId,
} from '@app/temporal';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  QuarantineReplayArgs,
  QuarantineReplayModel,
  QuarantinedEventConnectionModel,
  ReplayQuarantineArgs,
  SourceQuarantineArgs,
} from './quarantine.models';

/**
 * A source's quarantine and its replays: composed here, like sourceEvents, from sources (whose workspace the
 * caller must own: another workspace's source is NOT_FOUND) and ingestion (which keeps the quarantine).
 */
@Resolver()
export class QuarantineResolver {
  constructor(
    private readonly sources: SourcesService,
    private readonly reader: QuarantineReader,
    private readonly replays: QuarantineReplays,
    private readonly temporal: TemporalClientService,
  ) {}

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Query(() => QuarantinedEventConnectionModel, { description: 'A source’s quarantined events, newest first.' })
  async sourceQuarantine(
    @CurrentActor() actor: Actor,
    @Args() args: SourceQuarantineArgs,
  ): Promise<QuarantinedEventConnectionModel> {
    const source = await this.sources.get(actor.workspaceId, args.sourceId);
    const page = await this.reader.newest(source.id, args.first, args.after, args.filter ?? {});
    const edges = page.items.map((e, i) => ({
      node: { ...e, payload: JSON.stringify(e.event) },
      cursor: page.cursors[i],
    }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Query(() => QuarantineReplayModel, { description: 'A replay’s progress and counts.' })
  async quarantineReplay(
    @CurrentActor() actor: Actor,
    @Args() args: QuarantineReplayArgs,
  ): Promise<QuarantineReplayModel> {
    const source = await this.sources.get(actor.workspaceId, args.sourceId);
    const replay = await this.replays.get(source.id, args.id);
    if (!replay) {
      throw DomainException.notFound('Quarantine replay', args.id);
    }
    return replayModel(replay);
  }

  @Mutation(() => QuarantineReplayModel, {
    description:
      'Re-checks the source’s quarantined events (optionally filtered) against its current plan and ingests those that pass, once each by messageId; the rest stay quarantined. Runs as the workflow replay:<sourceId>:<id>.',
  })
  async replayQuarantine(
    @CurrentActor() actor: Actor,
    @Args() args: ReplayQuarantineArgs,
  ): Promise<QuarantineReplayModel> {
    const source = await this.sources.get(actor.workspaceId, args.sourceId);
    if (!isEventStreamKind(source.kind)) {
      throw DomainException.invalid(`${source.kind} is a cloud-app source: it has no tracking plan or quarantine`);
    }
    if (source.status !== SourceStatus.ACTIVE) {
      // Ingest refuses a paused source's events; a replay must not store them behind its back.
      throw DomainException.conflict(`Source is ${source.status}; resume it before replaying its quarantine`);
    }
    const id = randomUUID();
    const workflowId = makeReplayWorkflowId(source.id, id);
    await this.replays.create(id, source.id, workflowId, args.filter ?? {});
    const input: ReplayQuarantineInput = { replayId: id };
    try {
      await this.temporal.client.workflow.start(REPLAY_QUARANTINE_WORKFLOW, {
        taskQueue: WORKFLOW_TASK_QUEUE,
        workflowId,
        args: [input],
        typedSearchAttributes: [
          { key: SourceIdKey, value: source.id },
          { key: SourceKindKey, value: source.kind },
          { key: WorkspaceIdKey, value: source.workspaceId },
        ],
      });
    } catch (error) {
      // No workflow, no replay: a row left `running` would never finish.
      await this.replays.discard(id);
      throw error;
    }
    return replayModel((await this.replays.get(source.id, id))!);
  }
}

function replayModel(r: ReplayView): QuarantineReplayModel {
  return { ...r, eventName: r.filter.eventName ?? null, violationCode: r.filter.violationCode ?? null };
}
