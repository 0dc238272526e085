export { SourcesGraphqlModule } from './sources-graphql.module';
export { WebhooksGraphqlModule } from './webhooks-graphql.module';
export { Connection, type Edge, type Page } from './connection.model';
export { PageInfoModel } from './page-info.model';
export { SourceModel } from './source.model';
