export { SourcesGraphqlModule } from './sources-graphql.module';
