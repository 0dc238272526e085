export { formatApiToken, parseApiToken } from './api-token.format';
export { ApiTokensService, type ApiTokenView, type IssuedApiToken } from './api-tokens.service';
export { AuthFailureLimiter, type AuthFailureLimits, type FailureVerdict } from './auth-failure-limiter';
export { AuthModule } from './auth.module';
export { bearerToken, presentsCredential } from './bearer-token';
export { WorkspacesService, type CreatedWorkspace } from './workspaces.service';
