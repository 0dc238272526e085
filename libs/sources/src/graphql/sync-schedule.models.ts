import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsUUID, MaxLength } from 'class-validator';

@ObjectType('SyncSchedule', {
  description:
    'A cloud-app source’s Temporal Schedule (schedule:<sourceId>): runs every object of the source (the workflow ' +
    'sync:<sourceId>, its children sync:<sourceId>:<object>), skipping a run while the previous one runs.',
})
export class SyncScheduleModel {
  @Field() scheduleId: string;
  @Field(() => Int, { nullable: true, description: 'Minutes between runs (1 to 1440), or null when cron is set.' })
  intervalMinutes: number | null;
  @Field(() => String, { nullable: true, description: 'Five-field cron expression in UTC, or null.' })
  cron: string | null;
  @Field(() => Int, { description: 'Each run starts up to this many seconds late, to spread sources apart.' })
  jitterSeconds: number;
  @Field({ description: 'True while the source is paused (pauseSource); resumeSource unpauses it.' })
  paused: boolean;
  @Field({
    description:
      'False when Temporal has lost the schedule; updateSyncSchedule or syncSourceNow re-creates it from the stored spec.',
  })
  registered: boolean;
  @Field(() => [Date], { description: 'Next run times Temporal computed (with jitter); empty while paused.' })
  nextRunTimes: Date[];
  @Field(() => SyncNowModel, { nullable: true, description: 'The source-level sync running now, if any.' })
  running: SyncNowModel | null;
  @Field({ description: 'The schedule in the Temporal Web UI.' })
  temporalUrl: string;
}

@ObjectType('SyncNow', { description: 'The source-level sync (all objects) started or already running.' })
export class SyncNowModel {
  @Field({ description: 'sync:<sourceId>-<timestamp>: Temporal suffixes each scheduled run.' }) workflowId: string;
  @Field() runId: string;
  @Field({ description: 'True when a run was already in progress: this is that run; no second one started.' })
  alreadyRunning: boolean;
  @Field() temporalUrl: string;
}

@InputType('UpdateSyncScheduleInput', { description: 'Exactly one of intervalMinutes or cron.' })
export class UpdateSyncScheduleInput {
  @Field(() => Int, { nullable: true, description: '1 to 1440 (24 h).' })
  intervalMinutes?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Five fields in UTC (minute hour day-of-month month day-of-week), or @hourly, @daily, @weekly…',
  })
  @MaxLength(200)
  cron?: string | null;
}

@ArgsType()
export class UpdateSyncScheduleArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

  @Field(() => UpdateSyncScheduleInput)
  input: UpdateSyncScheduleInput;
}
