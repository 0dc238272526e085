export { SourcesGraphqlModule } from './sources-graphql.module';
export { WebhooksGraphqlModule } from './webhooks-graphql.module';
