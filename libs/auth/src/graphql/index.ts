export { AuthGraphqlModule } from './auth-graphql.module';
export { CurrentActor } from './current-actor.decorator';
export { GqlAuthGuard } from './gql-auth.guard';
export { AllowRoles } from './roles.decorator';
