import { IdentifierType, SourceEnvironment, SourceKind, SourceStatus, type TrackingPlanMode } from '@app/common';
import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { TrackingPlanModeEnum } from './enums';

@InputType('AutocaptureSettingsInput')
export class AutocaptureSettingsInput {
  @Field({ nullable: true }) pageViews?: boolean;
  @Field({ nullable: true }) clicks?: boolean;
  @Field({ nullable: true }) formSubmits?: boolean;
}

@InputType('TrackingPlanEventInput')
export class TrackingPlanEventInput {
  @Field({ description: 'The track event name (1 to 200 characters).' }) name: string;
  @Field(() => String, { nullable: true, description: 'JSON Schema of its properties, as JSON text; omit for any.' })
  propertiesSchema?: string | null;
}

@InputType('TrackingPlanInput', { description: 'Omitted fields keep their current value; any change bumps version.' })
export class TrackingPlanInput {
  @Field(() => TrackingPlanModeEnum, { nullable: true }) mode?: TrackingPlanMode;
  @Field(() => [TrackingPlanEventInput], { nullable: true, description: 'Replaces the whole list.' })
  @ValidateNested({ each: true })
  @Type(() => TrackingPlanEventInput)
  events?: TrackingPlanEventInput[];
  @Field(() => String, { nullable: true, description: 'JSON Schema of identify traits as JSON text; "" removes it.' })
  identifyTraitsSchema?: string | null;
}

@InputType('TrackingConfigInput', { description: 'Omitted fields keep their current value.' })
export class TrackingConfigInput {
  @Field(() => [String], { nullable: true }) allowedOrigins?: string[];
  @Field(() => AutocaptureSettingsInput, { nullable: true })
  @ValidateNested()
  @Type(() => AutocaptureSettingsInput)
  autocapture?: AutocaptureSettingsInput;
  @Field(() => TrackingPlanInput, { nullable: true })
  @ValidateNested()
  @Type(() => TrackingPlanInput)
  trackingPlan?: TrackingPlanInput;
}

@InputType('RateLimitInput')
export class RateLimitInput {
  @Field(() => Int, { nullable: true, description: '1 to 100000.' }) eventsPerSecond?: number;
  @Field(() => Int, { nullable: true, description: 'At least eventsPerSecond, at most 1000000.' }) burst?: number;
}

@InputType('IdentitySettingsInput')
export class IdentitySettingsInput {
  @Field(() => [IdentifierType], { nullable: true }) mergeOn?: IdentifierType[];
  @Field(() => [IdentifierType], { nullable: true }) attachOnly?: IdentifierType[];
}

@InputType({ isAbstract: true })
class SourceSettingsInput {
  @Field(() => TrackingConfigInput, { nullable: true })
  @ValidateNested()
  @Type(() => TrackingConfigInput)
  trackingConfig?: TrackingConfigInput;

  @Field(() => RateLimitInput, { nullable: true })
  @ValidateNested()
  @Type(() => RateLimitInput)
  rateLimit?: RateLimitInput;

  @Field(() => IdentitySettingsInput, { nullable: true })
  @ValidateNested()
  @Type(() => IdentitySettingsInput)
  identitySettings?: IdentitySettingsInput;
}

@InputType('CreateSourceInput')
export class CreateSourceInput extends SourceSettingsInput {
  @Field({ description: '1 to 100 characters; unique per workspace and environment among live sources.' })
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;

  @Field(() => SourceKind, { description: 'Fixed after creation.' })
  kind: SourceKind;

  @Field(() => SourceEnvironment)
  environment: SourceEnvironment;
}

@InputType('UpdateSourceInput', { description: 'Omitted fields keep their value. The kind cannot change.' })
export class UpdateSourceInput extends SourceSettingsInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'id must be a source id (UUID)' })
  id: string;

  @Field({ nullable: true }) name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;

  @Field(() => SourceEnvironment, { nullable: true }) environment?: SourceEnvironment;
}

@InputType('SourceFilter')
export class SourceFilterInput {
  @Field(() => SourceKind, { nullable: true }) kind?: SourceKind;
  @Field(() => SourceEnvironment, { nullable: true }) environment?: SourceEnvironment;
  @Field(() => SourceStatus, { nullable: true }) status?: SourceStatus;
}

@ArgsType()
export class SourcesArgs {
  @Field(() => SourceFilterInput, { nullable: true })
  @ValidateNested()
  @Type(() => SourceFilterInput)
  filter?: SourceFilterInput;

  @Field(() => Int, { defaultValue: 20, description: '1 to 100.' })
  @IsInt()
  @Min(1, { message: 'first must be at least 1' })
  @Max(100, { message: 'first must be at most 100; page with after: pageInfo.endCursor' })
  first: number;

  @Field(() => String, { nullable: true, description: 'pageInfo.endCursor of the previous page.' })
  after?: string | null;
}

@ArgsType()
export class SourceIdArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'id must be a source id (UUID)' })
  id: string;
}

@ArgsType()
export class SourceIdRefArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;
}
