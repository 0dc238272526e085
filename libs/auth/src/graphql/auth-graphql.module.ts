import { Module } from '@nestjs/common';
import { AuthModule } from '../auth.module';
import { ApiTokensResolver } from './api-tokens.resolver';
import { GqlAuthGuard } from './gql-auth.guard';

/** GraphQL surface of auth (api only): token resolvers and the guard the api installs globally. */
@Module({
  imports: [AuthModule],
  providers: [ApiTokensResolver, GqlAuthGuard],
  exports: [GqlAuthGuard, AuthModule],
})
export class AuthGraphqlModule {}
