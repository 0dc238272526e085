import { AllowRoles, CurrentActor } from '@app/auth/graphql';
import { type Actor, Role } from '@app/common';
import { TemporalClientService, temporalRunUrl } from '@app/temporal';
import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { RunRef, ScheduleView } from '../schedules/source-schedules.service';
import { SyncSchedulesService } from '../schedules/sync-schedules.service';
import { SourceIdRefArgs } from './source.inputs';
import { SourceModel } from './source.model';
import { SyncNowModel, SyncScheduleModel, UpdateSyncScheduleArgs } from './sync-schedule.models';

@Resolver(() => SourceModel)
export class SyncSchedulesResolver {
  constructor(
    private readonly schedules: SyncSchedulesService,
    private readonly temporal: TemporalClientService,
  ) {}

  @ResolveField(() => SyncScheduleModel, {
    nullable: true,
    description: 'Cloud-app sources only: when the source syncs, read from Temporal (one call per source).',
  })
  async schedule(@CurrentActor() actor: Actor, @Parent() source: SourceModel): Promise<SyncScheduleModel | null> {
    if (source.deletedAt) {
      return null;
    }
    const view = await this.schedules.get(actor.workspaceId, source.id);
    return view && this.toModel(view);
  }

  @Mutation(() => SyncScheduleModel, {
    description:
      'Sets how often a cloud-app source syncs: every intervalMinutes (1 to 1440) or on a cron expression (UTC). ' +
      'Counted from now. Bad input answers BAD_USER_INPUT with extensions.reason ONE_OF_INTERVAL_OR_CRON, ' +
      'INTERVAL_OUT_OF_RANGE or INVALID_CRON.',
  })
  async updateSyncSchedule(
    @CurrentActor() actor: Actor,
    @Args() args: UpdateSyncScheduleArgs,
  ): Promise<SyncScheduleModel> {
    return this.toModel(await this.schedules.update(actor.workspaceId, args.sourceId, args.input));
  }

  @AllowRoles(Role.ADMIN, Role.INTEGRATOR)
  @Mutation(() => SyncNowModel, {
    description:
      'Syncs every object of the source now, through its schedule; when a source-level sync already runs, ' +
      'answers that one (alreadyRunning) instead of starting another.',
  })
  async syncSourceNow(@CurrentActor() actor: Actor, @Args() { sourceId }: SourceIdRefArgs): Promise<SyncNowModel> {
    const result = await this.schedules.syncNow(actor.workspaceId, sourceId);
    return { ...result, temporalUrl: this.runUrl(result) };
  }

  private toModel(view: ScheduleView): SyncScheduleModel {
    const { running, ...rest } = view;
    return {
      ...rest,
      running: running && { ...running, alreadyRunning: true, temporalUrl: this.runUrl(running) },
      temporalUrl: `${this.temporal.uiUrl}/namespaces/${encodeURIComponent(this.temporal.namespace)}/schedules/${encodeURIComponent(view.scheduleId)}`,
    };
  }

  private runUrl(run: RunRef): string {
    return temporalRunUrl(this.temporal.uiUrl, this.temporal.namespace, run.workflowId, run.runId);
  }
}
