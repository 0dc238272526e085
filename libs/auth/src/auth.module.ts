import { ApiTokenEntity, WorkspaceEntity } from '@app/database';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiTokensService } from './api-tokens.service';
import { WorkspacesService } from './workspaces.service';

@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity, WorkspaceEntity])],
  providers: [ApiTokensService, WorkspacesService],
  exports: [ApiTokensService, WorkspacesService],
})
export class AuthModule {}
