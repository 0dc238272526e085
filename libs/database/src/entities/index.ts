import { ApiTokenEntity } from './api-token.entity';
import { SourceCredentialEntity } from './source-credential.entity';
import { SourceWriteKeyEntity } from './source-write-key.entity';
import { SourceEntity } from './source.entity';
import { WorkspaceEntity } from './workspace.entity';

export { ApiTokenEntity, SourceCredentialEntity, SourceEntity, SourceWriteKeyEntity, WorkspaceEntity };

export const ENTITIES = [WorkspaceEntity, ApiTokenEntity, SourceEntity, SourceWriteKeyEntity, SourceCredentialEntity];
