import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Connection } from '@app/sources/graphql';

@ObjectType('SourceEvent', { description: 'One event a source sent through the tracking API, as stored.' })
export class SourceEventModel {
  @Field(() => ID) id: string;
  @Field() messageId: string;
  @Field({ description: 'identify, track, page, screen, group or alias.' }) type: string;
  @Field(() => String, { nullable: true, description: 'The track event name.' }) event: string | null;
  @Field(() => String, { nullable: true }) userId: string | null;
  @Field(() => String, { nullable: true }) anonymousId: string | null;
  @Field({ description: 'When it happened (clock-skew corrected).' }) timestamp: Date;
  @Field({ description: 'When ingest received it.' }) receivedAt: Date;
  @Field({ description: 'The stored message (context, properties, traits, …) as JSON text.' }) payload: string;
}

@ObjectType('SourceEventConnection')
export class SourceEventConnectionModel extends Connection('SourceEvent', SourceEventModel) {}

@ArgsType()
export class SourceEventsArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

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
