import { CurrentActor } from '@app/auth/graphql';
import type { Actor } from '@app/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { WriteKeysService } from '../write-keys.service';
import { SourceIdRefArgs } from './source.inputs';
import { IssuedWriteKeyModel, WriteKeyModel } from './source.model';
import { RotateWriteKeyArgs, WriteKeyIdArgs } from './write-key.args';

@Resolver(() => WriteKeyModel)
export class WriteKeysResolver {
  constructor(private readonly writeKeys: WriteKeysService) {}

  @Mutation(() => IssuedWriteKeyModel, {
    description: 'First write key of an event-stream source; CONFLICT if one is active.',
  })
  issueWriteKey(@CurrentActor() actor: Actor, @Args() { sourceId }: SourceIdRefArgs): Promise<IssuedWriteKeyModel> {
    return this.writeKeys.issue(actor.workspaceId, sourceId);
  }

  @Mutation(() => IssuedWriteKeyModel, {
    description: 'New key now; the old one keeps working for overlapSeconds. At most two keys are valid at once.',
  })
  rotateWriteKey(@CurrentActor() actor: Actor, @Args() args: RotateWriteKeyArgs): Promise<IssuedWriteKeyModel> {
    return this.writeKeys.rotate(actor.workspaceId, args.sourceId, args.overlapSeconds);
  }

  @Mutation(() => WriteKeyModel, { description: 'Stops a key at once; revoking twice is harmless.' })
  revokeWriteKey(@CurrentActor() actor: Actor, @Args() { id }: WriteKeyIdArgs): Promise<WriteKeyModel> {
    return this.writeKeys.revoke(actor.workspaceId, id);
  }
}
