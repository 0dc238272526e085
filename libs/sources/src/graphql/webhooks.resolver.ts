import { CurrentActor } from '@app/auth/graphql';
import type { Actor } from '@app/common';
import { Args, Field, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { SourceWebhooksService } from '../webhooks/source-webhooks.service';
import { SourceIdRefArgs } from './source.inputs';

@ObjectType('WebhookRegistration', { description: 'The webhook endpoint registered with the cloud app (no secret).' })
export class WebhookRegistrationModel {
  @Field({ description: 'The app’s id of the (first) endpoint (Stripe: we_…; Shopify: a subscription GID).' })
  endpointId: string;
  @Field(() => [String], {
    description:
      'The app’s ids of everything now delivering to the url: Stripe one endpoint, Shopify one subscription per topic.',
  })
  endpointIds: string[];
  @Field({ description: 'Where the app delivers: the source’s webhookUrl.' }) url: string;
  @Field(() => Int, { description: 'Our earlier endpoints at the same URL that were removed.' })
  replacedEndpoints: number;
}

@Resolver()
export class WebhooksResolver {
  constructor(private readonly webhooks: SourceWebhooksService) {}

  @Mutation(() => WebhookRegistrationModel, {
    description:
      'Registers the source’s webhookUrl with its app (Stripe: an endpoint whose signing secret is stored with ' +
      'the credentials, the previous one staying accepted until the next rotation; Shopify: a subscription per ' +
      'topic, signed with the app’s client secret, which must be set first as shopify.webhookSecret). Earlier ' +
      'endpoints at that URL are replaced: registering again leaves one set.',
  })
  registerSourceWebhook(
    @CurrentActor() actor: Actor,
    @Args() { sourceId }: SourceIdRefArgs,
  ): Promise<WebhookRegistrationModel> {
    return this.webhooks.register(actor.workspaceId, sourceId);
  }

  @Mutation(() => WebhookRegistrationModel, {
    description:
      'Same as registerSourceWebhook, for STRIPE sources only (kept for existing clients). ' +
      'Creates the Stripe webhook endpoint at the source’s webhookUrl (replacing ours there) and stores its ' +
      'signing secret with the credentials; the previous secret stays accepted until the next rotation.',
    deprecationReason: 'Use registerSourceWebhook, which registers the webhooks of every app that allows it.',
  })
  registerStripeWebhook(
    @CurrentActor() actor: Actor,
    @Args() { sourceId }: SourceIdRefArgs,
  ): Promise<WebhookRegistrationModel> {
    return this.webhooks.registerStripe(actor.workspaceId, sourceId);
  }
}
