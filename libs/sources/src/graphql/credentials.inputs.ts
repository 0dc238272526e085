import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';

@InputType('StripeCredentialsInput')
export class StripeCredentialsInput {
  @Field({ description: 'Secret or restricted key: sk_test_…, sk_live_… or rk_….' }) secretKey: string;
}

@InputType('HubspotCredentialsInput')
export class HubspotCredentialsInput {
  @Field({ description: 'Private-app access token (pat-…).' }) accessToken: string;
}

@InputType('ShopifyCredentialsInput')
export class ShopifyCredentialsInput {
  @Field({ description: 'my-store.myshopify.com' }) shopDomain: string;
  @Field({ description: 'Admin API access token (shpat_…).' }) accessToken: string;
}

@InputType('SetSourceCredentialsInput', {
  description: 'Give exactly one of stripe, hubspot, shopify: the one matching the source kind.',
})
export class SetSourceCredentialsInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'sourceId must be a source id (UUID)' })
  sourceId: string;

  @Field(() => StripeCredentialsInput, { nullable: true })
  @ValidateNested()
  @Type(() => StripeCredentialsInput)
  stripe?: StripeCredentialsInput;

  @Field(() => HubspotCredentialsInput, { nullable: true })
  @ValidateNested()
  @Type(() => HubspotCredentialsInput)
  hubspot?: HubspotCredentialsInput;

  @Field(() => ShopifyCredentialsInput, { nullable: true })
  @ValidateNested()
  @Type(() => ShopifyCredentialsInput)
  shopify?: ShopifyCredentialsInput;
}
