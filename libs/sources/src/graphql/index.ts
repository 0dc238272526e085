export { SourcesGraphqlModule } from './sources-graphql.module';
export { WebhooksGraphqlModule } from './webhooks-graphql.module';
export { PageInfoModel } from './page-info.model';
export { SourceModel } from './source.model';
