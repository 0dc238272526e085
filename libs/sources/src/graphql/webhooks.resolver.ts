import { CurrentActor } from '@app/auth/graphql';
import type { Actor } from '@app/common';
import { Args, Field, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { SourceWebhooksService } from '../webhooks/source-webhooks.service';
import { SourceIdRefArgs } from './source.inputs';

@ObjectType('WebhookRegistration', { description: 'The webhook endpoint registered with the cloud app (no secret).' })
export class WebhookRegistrationModel {
  @Field({ description: 'The app’s id of the endpoint (Stripe: we_…).' }) endpointId: string;
  @Field({ description: 'Where the app delivers: the source’s webhookUrl.' }) url: string;
  @Field(() => Int, { description: 'Our earlier endpoints at the same URL that were removed.' })
  replacedEndpoints: number;
}

@Resolver()
export class WebhooksResolver {
  constructor(private readonly webhooks: SourceWebhooksService) {}

  @Mutation(() => WebhookRegistrationModel, {
    description:
      'Creates the Stripe webhook endpoint at the source’s webhookUrl (replacing ours there) and stores its ' +
      'signing secret with the credentials; the previous secret stays accepted until the next rotation.',
  })
  registerStripeWebhook(
    @CurrentActor() actor: Actor,
    @Args() { sourceId }: SourceIdRefArgs,
  ): Promise<WebhookRegistrationModel> {
    return this.webhooks.registerStripe(actor.workspaceId, sourceId);
  }
}
