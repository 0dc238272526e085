export { formatApiToken, parseApiToken } from './api-token.format';
export { ApiTokensService, type ApiTokenView, type IssuedApiToken } from './api-tokens.service';
export { AuthModule } from './auth.module';
export { WorkspacesService, type CreatedWorkspace } from './workspaces.service';
