import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { Connection } from '@app/sources/graphql';

@ObjectType('PlanViolation', { description: 'How an event breaks its source’s tracking plan.' })
export class PlanViolationModel {
  @Field({ description: 'unknown_event or schema_violation.' }) code: string;
  @Field({ description: 'The exact path: `event`, `properties.total`, `traits.email`.' }) field: string;
  @Field() reason: string;
}

@ObjectType('QuarantinedEvent', { description: 'An event a BLOCK-mode tracking plan held back, kept whole.' })
export class QuarantinedEventModel {
  @Field(() => ID) id: string;
  @Field() messageId: string;
  @Field() type: string;
  @Field(() => String, { nullable: true }) eventName: string | null;
  @Field({ description: 'quarantined, or replayed (accepted by a replay).' }) status: string;
  @Field(() => [PlanViolationModel]) violations: PlanViolationModel[];
  @Field(() => Int, { description: 'The plan version it was last checked against.' }) planVersion: number;
  @Field() receivedAt: Date;
  @Field(() => Date, { nullable: true }) replayedAt: Date | null;
  @Field({ description: 'When retention drops it.' }) expiresAt: Date;
  @Field({ description: 'The whole event as JSON text.' }) payload: string;
}

@ObjectType('QuarantinedEventConnection')
export class QuarantinedEventConnectionModel extends Connection('QuarantinedEvent', QuarantinedEventModel) {}

@InputType('QuarantineFilterInput')
export class QuarantineFilterInput {
  @Field(() => String, { nullable: true, description: 'Only events of this track name.' })
  @IsOptional()
  @MaxLength(200, { message: 'filter.eventName is at most 200 characters' })
  eventName?: string | null;

  @Field(() => String, { nullable: true, description: 'Only events with this violation code.' })
  @IsOptional()
  @MaxLength(50, { message: 'filter.violationCode is at most 50 characters' })
  violationCode?: string | null;
}

@ArgsType()
export class SourceQuarantineArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

  @Field(() => Int, { defaultValue: 20 })
  @IsInt()
  @Min(1, { message: 'first must be at least 1' })
  @Max(100, { message: 'first must be at most 100; page with after: pageInfo.endCursor' })
  first: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200, { message: 'after must be a pageInfo.endCursor from a previous page' })
  after?: string | null;

  @Field(() => QuarantineFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuarantineFilterInput)
  filter?: QuarantineFilterInput | null;
}

@ArgsType()
export class ReplayQuarantineArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

  @Field(() => QuarantineFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuarantineFilterInput)
  filter?: QuarantineFilterInput | null;
}

@ArgsType()
export class QuarantineReplayArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'id must be a replay id (UUID) from replayQuarantine' })
  id: string;
}

@ObjectType('QuarantineReplay', { description: 'A replay of a source’s quarantine and its progress.' })
export class QuarantineReplayModel {
  @Field(() => ID) id: string;
  @Field(() => ID) sourceId: string;
  @Field({ description: 'replay:<sourceId>:<id> in Temporal.' }) workflowId: string;
  @Field({ description: 'running or completed.' }) status: string;
  @Field(() => String, { nullable: true }) eventName: string | null;
  @Field(() => String, { nullable: true }) violationCode: string | null;
  @Field(() => Int, { description: 'Quarantined events checked so far.' }) scanned: number;
  @Field(() => Int, { description: 'Of those, re-ingested (stored once, by messageId).' }) replayed: number;
  @Field(() => Int, { description: 'Of those, still violating the current plan: left in quarantine.' })
  stillQuarantined: number;
  @Field() startedAt: Date;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
}
