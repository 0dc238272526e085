import { CONNECTOR_DEFINITIONS } from '@app/connectors';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { type GraphQLInputObjectType, type GraphQLSchema } from 'graphql';
import { SetSourceCredentialsInput, appKeysText, givenCredentials } from './credentials.inputs';
import { SourceCredentialsResolver } from './source-credentials.resolver';
import { SourcesResolver } from './sources.resolver';

/** The schema as the api builds it (code first); a schema needs a Query, hence SourcesResolver. */
async function buildSchema(): Promise<GraphQLSchema> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    return await app.get(GraphQLSchemaFactory).create([SourcesResolver, SourceCredentialsResolver]);
  } finally {
    await app.close();
  }
}

describe('credentials inputs derived from the connector definitions', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildSchema();
  });

  it('gives SetSourceCredentialsInput one optional field per app', () => {
    const input = schema.getType('SetSourceCredentialsInput') as GraphQLInputObjectType;
    const fields = input.getFields();
    expect(Object.keys(fields)).toEqual(['sourceId', ...CONNECTOR_DEFINITIONS.map((d) => d.key)]);
    for (const definition of CONNECTOR_DEFINITIONS) {
      expect(String(fields[definition.key].type)).toBe(definition.credentials.inputName);
    }
    expect(input.description).toBe('Give exactly one of stripe, hubspot, shopify: the one matching the source kind.');
  });

  it('gives each app input a String! per credentials field, with its description', () => {
    for (const definition of CONNECTOR_DEFINITIONS) {
      const fields = (schema.getType(definition.credentials.inputName) as GraphQLInputObjectType).getFields();
      const webhook = definition.webhooks ? ['webhookSecret'] : [];
      expect(Object.keys(fields)).toEqual([...Object.keys(definition.credentials.fields), ...webhook]);
      for (const [name, field] of Object.entries(definition.credentials.fields)) {
        expect(String(fields[name].type)).toBe('String!');
        expect(fields[name].description).toBe(field.description);
      }
    }
  });

  it('adds an optional webhookSecret to the inputs of apps whose webhooks we verify (Stripe, HubSpot, Shopify)', () => {
    const stripe = (schema.getType('StripeCredentialsInput') as GraphQLInputObjectType).getFields();
    expect(String(stripe.webhookSecret.type)).toBe('String');
    expect(stripe.webhookSecret.description).toMatch(/whsec_.*left out, the stored one is kept/);
    const hubspot = (schema.getType('HubspotCredentialsInput') as GraphQLInputObjectType).getFields();
    expect(String(hubspot.webhookSecret.type)).toBe('String');
    expect(hubspot.webhookSecret.description).toMatch(/client secret.*left out, the stored one is kept/);
    const shopify = (schema.getType('ShopifyCredentialsInput') as GraphQLInputObjectType | undefined)?.getFields();
    expect(String(shopify?.webhookSecret.type)).toBe('String');
    expect(shopify?.webhookSecret.description).toMatch(/X-Shopify-Hmac-Sha256.*left out, the stored one is kept/);
  });

  it('reads back which apps were given', () => {
    const input = Object.assign(new SetSourceCredentialsInput(), { sourceId: 'x', shopify: { accessToken: 't' } });
    expect(givenCredentials(input).map((g) => g.definition.key)).toEqual(['shopify']);
    expect(appKeysText()).toBe('stripe, hubspot or shopify');
  });
});
