import { AllowRoles, CurrentActor } from '@app/auth/graphql';
import { type Actor, Role, encodeCursor } from '@app/common';
import type { SyncRunEntity } from '@app/database';
import { TemporalClientService, temporalRunUrl } from '@app/temporal';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { SourceSyncsService, type SyncHandle } from '../source-syncs.service';
import { SourceIdArgs } from './source.inputs';
import {
  ConnectionCheckModel,
  SyncHandleModel,
  SyncRunConnectionModel,
  SyncRunModel,
  SyncRunsArgs,
  SyncTargetArgs,
} from './sync.models';

@Resolver(() => SyncRunModel)
export class SyncsResolver {
  constructor(
    private readonly syncs: SourceSyncsService,
    private readonly temporal: TemporalClientService,
  ) {}

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Mutation(() => SyncHandleModel, { description: 'Starts a full refresh, or returns the sync already running.' })
  async triggerSourceSync(@CurrentActor() actor: Actor, @Args() args: SyncTargetArgs): Promise<SyncHandleModel> {
    return this.withUrl(await this.syncs.trigger(actor.workspaceId, args.sourceId, args.object));
  }

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Mutation(() => SyncHandleModel, {
    description: 'Cancels the running sync; rows already written are kept. NOT_FOUND when none runs.',
  })
  async cancelSourceSync(@CurrentActor() actor: Actor, @Args() args: SyncTargetArgs): Promise<SyncHandleModel> {
    return this.withUrl(await this.syncs.cancel(actor.workspaceId, args.sourceId, args.object));
  }

  @Mutation(() => ConnectionCheckModel, { description: 'Calls the cloud app once with the stored credentials.' })
  async checkSourceConnection(
    @CurrentActor() actor: Actor,
    @Args() { id }: SourceIdArgs,
  ): Promise<ConnectionCheckModel> {
    const result = await this.syncs.checkConnection(actor.workspaceId, id);
    return { ok: result.ok, message: result.message, providerCode: result.providerCode ?? null };
  }

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Query(() => SyncRunConnectionModel, { description: 'Sync runs of a source, newest first.' })
  async syncRuns(@CurrentActor() actor: Actor, @Args() args: SyncRunsArgs): Promise<SyncRunConnectionModel> {
    const page = await this.syncs.listRuns(actor.workspaceId, args.sourceId, args.first, args.after);
    const edges = page.items.map((run) => ({
      node: { ...this.toModel(run), slices: page.slices.get(run.id) ?? [] },
      cursor: encodeCursor({ createdAt: run.startedAt, id: run.id }),
    }));
    return {
      edges,
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  private withUrl(handle: SyncHandle): SyncHandleModel {
    return { ...handle, temporalUrl: this.url(handle.workflowId, handle.runId) };
  }

  private url(workflowId: string, runId: string): string {
    return temporalRunUrl(this.temporal.uiUrl, this.temporal.namespace, workflowId, runId);
  }

  private toModel(run: SyncRunEntity): Omit<SyncRunModel, 'slices'> {
    const attentionReason = this.syncs.attentionReason(run);
    return {
      ...run,
      runId: run.temporalRunId,
      currentRunId: run.currentTemporalRunId ?? run.temporalRunId,
      durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
      temporalUrl: this.url(run.workflowId, run.temporalRunId),
      needsAttention: attentionReason !== null,
      attentionReason,
    };
  }
}
