import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';
import { DEFAULT_OVERLAP_SECONDS, MAX_OVERLAP_SECONDS } from '../write-keys.service';

@ArgsType()
export class RotateWriteKeyArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

  @Field(() => Int, {
    defaultValue: DEFAULT_OVERLAP_SECONDS,
    description: `How long the old key keeps working, 0 to ${MAX_OVERLAP_SECONDS} seconds.`,
  })
  overlapSeconds: number;
}

@ArgsType()
export class WriteKeyIdArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'id must be a write key id (UUID)' })
  id: string;
}
