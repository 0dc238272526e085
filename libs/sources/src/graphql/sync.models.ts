import { SyncMode, SyncRunStatus } from '@app/database';
import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsInt, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Connection } from './connection.model';

registerEnumType(SyncRunStatus, { name: 'SyncRunStatus' });
registerEnumType(SyncMode, { name: 'SyncMode' });

@ObjectType('SyncSlice', {
  description: 'One `created` window of a sliced first sync, read at once with the others, with its own cursor.',
})
export class SyncSliceModel {
  @Field(() => Int, { description: 'Window order, oldest first.' }) index: number;
  @Field(() => Date, { nullable: true, description: 'Objects created at or after this; null = no lower bound.' })
  createdFrom: Date | null;
  @Field(() => Date, { nullable: true, description: 'Objects created before this; null = open (new objects too).' })
  createdBefore: Date | null;
  @Field(() => Int) pages: number;
  @Field(() => Int) recordsRead: number;
  @Field({ description: 'The window is read to its end.' }) done: boolean;
}

@ObjectType('SyncRun', { description: 'One sync of one object of a source, with its counts and a link into Temporal.' })
export class SyncRunModel {
  @Field(() => ID) id: string;
  @Field() object: string;
  @Field(() => SyncMode) mode: SyncMode;
  @Field(() => String, {
    nullable: true,
    description:
      'Why the run chose its mode when it is not the usual INCREMENTAL one: a first sync, a periodic full refresh, ' +
      'a fallback (e.g. the saved events position is past the 30-day events horizon), the event of a WEBHOOK run.',
  })
  reason: string | null;
  @Field(() => SyncRunStatus) status: SyncRunStatus;
  @Field() startedAt: Date;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'Milliseconds; null while running.' }) durationMs: number | null;
  @Field(() => Int) recordsRead: number;
  @Field(() => Int) recordsInserted: number;
  @Field(() => Int) recordsUpdated: number;
  @Field(() => Int) recordsUnchanged: number;
  @Field(() => Int) recordsDeleted: number;
  @Field(() => Int) pages: number;
  @Field(() => Int, { description: 'Activity attempts beyond the first (throttling, outages).' }) retries: number;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field() workflowId: string;
  @Field({ description: 'The first Temporal run of the sync (it continues as new every 500 pages).' }) runId: string;
  @Field({ description: 'The Temporal run executing the sync now (or the last one); runId until it continues as new.' })
  currentRunId: string;
  @Field({ description: 'The first run in the Temporal Web UI; each run links to the one it continued as.' })
  temporalUrl: string;
  @Field({
    description:
      'RUNNING without a committed page for SYNC_STALL_SECONDS, SUCCEEDED with no records where the previous ' +
      'successful run found many, or a full refresh that measured drift above 0: see attentionReason.',
  })
  needsAttention: boolean;
  @Field(() => String, { nullable: true, description: 'Why the run needs attention and what to check.' })
  attentionReason: string | null;
  @Field(() => Int, {
    nullable: true,
    description:
      'FULL_REFRESH runs taken while incremental runs kept the object current: rows the listing inserted, changed ' +
      'or marked deleted that no change in the provider’s event log explains (what the incremental runs missed). ' +
      'Null: not measured (a first sync, another mode, or the events needed are past the horizon: see reason).',
  })
  drift: number | null;
  @Field(() => [SyncSliceModel], {
    description: 'A sliced first sync’s windows (SYNC_FIRST_SYNC_SLICES); empty when the run read one listing.',
  })
  slices: SyncSliceModel[];
}

@ObjectType('ObjectDrift', {
  description: 'The latest drift a full refresh measured for one object of the source (see SyncRun.drift).',
})
export class ObjectDriftModel {
  @Field() object: string;
  @Field(() => Int) drift: number;
  @Field(() => ID, { description: 'The SyncRun that measured it.' }) syncRunId: string;
  @Field({ description: 'When that run finished.' }) measuredAt: Date;
}

@ObjectType('SyncRunConnection')
export class SyncRunConnectionModel extends Connection('SyncRun', SyncRunModel) {
  @Field(() => Int) totalCount: number;
}

@ObjectType('SyncHandle', { description: 'The Temporal workflow running (or that ran) the sync.' })
export class SyncHandleModel {
  @Field() workflowId: string;
  @Field({ description: 'The first Temporal run of the sync, as SyncRun.runId.' }) runId: string;
  @Field({ description: 'The Temporal run executing the sync now (differs after a continue-as-new).' })
  currentRunId: string;
  @Field() temporalUrl: string;
}

@ObjectType('ConnectionCheck')
export class ConnectionCheckModel {
  @Field() ok: boolean;
  @Field({ description: 'What to know or do, in our words.' }) message: string;
  @Field(() => String, { nullable: true, description: 'The provider’s error code, when it gave one.' }) providerCode:
    string | null;
}

@ObjectType('SourceTaskQueue', { description: 'A worker process serving the source’s own activity task queue.' })
export class SourceTaskQueueModel {
  @Field() taskQueue: string;
  @Field() workerId: string;
  @Field() servingSince: Date;
  @Field() heartbeatAt: Date;
}

@ArgsType()
export class SyncTargetArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

  // A String, not an enum: `object: "customers"` (the README, every client) keeps working. The service
  // checks it against the source's connector definition and names the valid objects (BAD_USER_INPUT).
  @Field({ description: 'The object to sync, e.g. customers.' })
  @MaxLength(64, { message: 'object must be at most 64 characters, e.g. customers' })
  object: string;
}

@ArgsType()
export class SyncRunsArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

  @Field(() => Int, { defaultValue: 20 })
  @IsInt()
  @Min(1, { message: 'first must be at least 1' })
  @Max(100, { message: 'first must be at most 100; page with after: pageInfo.endCursor' })
  first: number;

  @Field(() => String, { nullable: true }) after?: string | null;
}
