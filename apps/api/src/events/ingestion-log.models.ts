import { ArgsType, Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsInt, IsOptional, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { Connection } from '@app/sources/graphql';

export enum IngestionGranularity {
  MINUTE = 'MINUTE',
  HOUR = 'HOUR',
  DAY = 'DAY',
}
registerEnumType(IngestionGranularity, {
  name: 'IngestionGranularity',
  description: 'Bucket size (UTC): MINUTE covers up to 1440 buckets, HOUR 744, DAY 400.',
});

// Float, not Int: a day of a busy source can pass GraphQL Int's 2^31. Always whole numbers.
@ObjectType('IngestionCounts', { description: 'Messages of one bucket, by what their senders were answered.' })
export class IngestionCountsModel {
  @Field({ description: 'Start of the bucket (UTC).' }) start: Date;
  @Field(() => Float) accepted: number;
  @Field(() => Float) duplicate: number;
  @Field(() => Float) rejected: number;
  @Field(() => Float) quarantined: number;
  @Field(() => Float, { description: 'Messages of requests answered 429 (each item of such a request).' })
  rateLimited: number;
}

@ArgsType()
export class SourceIngestionCountsArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

  @Field({ description: 'Inclusive; aligned down to the granularity.' })
  @IsDate({ message: 'from must be a DateTime' })
  from: Date;

  @Field({ description: 'Exclusive.' })
  @IsDate({ message: 'to must be a DateTime' })
  to: Date;

  @Field(() => IngestionGranularity)
  @IsEnum(IngestionGranularity)
  granularity: IngestionGranularity;
}

@ObjectType('IngestionRejection', { description: 'An item the tracking API refused, as the sender sent it.' })
export class IngestionRejectionModel {
  @Field(() => ID) id: string;
  @Field() receivedAt: Date;
  @Field(() => String, { nullable: true }) messageId: string | null;
  @Field({ description: 'The reason code the sender was answered (e.g. missing_identity).' }) code: string;
  @Field({ description: 'The offending field (empty for the item as a whole).' }) field: string;
  @Field() reason: string;
  @Field({ description: 'The item as JSON text, cut at 2 KB (then `truncated` is true).' }) payload: string;
  @Field() truncated: boolean;
}

@ObjectType('IngestionRejectionConnection')
export class IngestionRejectionConnectionModel extends Connection('IngestionRejection', IngestionRejectionModel) {}

@ArgsType()
export class SourceRejectionsArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

  @Field(() => String, { nullable: true, description: 'Only this reason code (e.g. invalid_timestamp).' })
  @IsOptional()
  @Matches(/^[a-z_]{1,32}$/, { message: 'code must be a reason code such as missing_identity (a-z and _)' })
  code?: string | null;

  @Field(() => Int, { defaultValue: 20 })
  @IsInt()
  @Min(1, { message: 'first must be at least 1' })
  @Max(100, { message: 'first must be at most 100; page with after: pageInfo.endCursor' })
  first: number;

  @Field(() => String, { nullable: true, description: 'pageInfo.endCursor of the previous (newer) page.' })
  @IsOptional()
  @MaxLength(200, { message: 'after must be a pageInfo.endCursor from a previous page' })
  after?: string | null;
}

@ObjectType('IngestionReason')
export class IngestionReasonModel {
  @Field({ description: 'A rejection code, or rate_limited.' }) code: string;
  @Field() field: string;
  @Field(() => Float) count: number;
}

@ObjectType('IngestionHealth', {
  description: 'Whether the rejected or rate-limited share of a source’s recent messages is above the threshold.',
})
export class IngestionHealthModel {
  @Field() flagged: boolean;
  @Field(() => Int) windowMinutes: number;
  @Field(() => Int) thresholdPercent: number;
  @Field({ description: 'Start of the window (UTC minute).' }) since: Date;
  @Field(() => Float) messages: number;
  @Field(() => Float) rejected: number;
  @Field(() => Float) rateLimited: number;
  @Field(() => Float) rejectedPercent: number;
  @Field(() => Float) rateLimitedPercent: number;
  @Field(() => [IngestionReasonModel]) topReasons: IngestionReasonModel[];
}

@ArgsType()
export class IngestionHealthArgs {
  @Field(() => Int, { nullable: true, description: 'Default INGESTION_HEALTH_WINDOW_MINUTES.' })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'windowMinutes must be 1 to 1440' })
  @Max(1440, { message: 'windowMinutes must be 1 to 1440' })
  windowMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default INGESTION_HEALTH_THRESHOLD_PERCENT.' })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'thresholdPercent must be 1 to 100' })
  @Max(100, { message: 'thresholdPercent must be 1 to 100' })
  thresholdPercent?: number | null;
}
