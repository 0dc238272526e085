import { AuthGraphqlModule, GqlAuthGuard } from '@app/auth/graphql';
import { ConfigModule, APP_CONFIG, type AppConfig } from '@app/config';
import { DatabaseMigrationsModule, DatabaseModule } from '@app/database';
import { HealthModule } from '@app/health';
import { SourcesGraphqlModule, WebhooksGraphqlModule } from '@app/sources/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { aliasLimitRule } from './graphql/alias-limit.rule';
import { costLimitRule } from './graphql/cost-limit.rule';
import { depthLimitRule } from './graphql/depth-limit.rule';
import { formatGraphqlError } from './graphql/error-mapping';
import { limitCodeOf } from './graphql/limit-errors';
import { GraphqlExceptionFilter } from './graphql/graphql-exception.filter';
import { requestIdPlugin } from './graphql/request-id.plugin';
import { SourceEventsModule } from './events/source-events.module';
import { loggerModuleParams } from '@app/logging';

export const GRAPHQL_PATH = '/graphql';

// The largest page any connection serves (first/last at most 100), assumed when the size is a variable.
const MAX_PAGE_SIZE = 100;
// Items assumed for a list without first/last (a source's write keys, the workspace's tokens).
const DEFAULT_LIST_SIZE = 10;

function graphqlOptions(config: AppConfig): ApolloDriverConfig {
  const logger = new Logger('GraphQL');
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    // Apollo's landing page loads from a CDN; we serve GraphiQL ourselves (see graphiql/).
    playground: false,
    introspection: true,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    validationRules: [
      depthLimitRule(config.graphql.maxDepth),
      aliasLimitRule(config.graphql.maxAliases),
      costLimitRule({
        maxCost: config.graphql.maxCost,
        defaultListSize: DEFAULT_LIST_SIZE,
        maxPageSize: MAX_PAGE_SIZE,
      }),
    ],
    plugins: [requestIdPlugin],
    // Field resolvers' errors (a bad argument of Source.ingestionHealth, say) go through GraphqlExceptionFilter too.
    fieldResolverEnhancers: ['filters'],
    formatError: (formatted, error) => {
      const out = formatGraphqlError(formatted, limitCodeOf(error));
      if (out.extensions?.code === 'INTERNAL_SERVER_ERROR' && !formatted.message.startsWith('Internal server error')) {
        logger.error({ err: unwrapResolverError(error) }, 'unexpected GraphQL error');
      }
      return out;
    },
  };
}

/** The api process: composition only. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, rootLogger: PinoLogger): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerModuleParams(rootLogger)),
        DatabaseModule,
        DatabaseMigrationsModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [APP_CONFIG],
          useFactory: graphqlOptions,
        }),
        AuthGraphqlModule,
        SourcesGraphqlModule,
        WebhooksGraphqlModule,
        SourceEventsModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_GUARD, useExisting: GqlAuthGuard },
        { provide: APP_FILTER, useClass: GraphqlExceptionFilter },
      ],
    };
  }
}
