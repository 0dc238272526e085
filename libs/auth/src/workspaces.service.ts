import { DomainException, Role } from '@app/common';
import { WorkspaceEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiTokensService } from './api-tokens.service';

export interface CreatedWorkspace {
  workspace: { id: string; name: string };
  adminToken: string;
}

@Injectable()
export class WorkspacesService {
  constructor(
    @InjectRepository(WorkspaceEntity) private readonly workspaces: Repository<WorkspaceEntity>,
    private readonly apiTokens: ApiTokensService,
  ) {}

  /** Creates a workspace and its first ADMIN token (the secret is returned once, here). */
  async create(name: string): Promise<CreatedWorkspace> {
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 100) {
      throw DomainException.invalid('Workspace name must be 1 to 100 characters');
    }
    const workspace = await this.workspaces.save(this.workspaces.create({ name: trimmed }));
    const { secret } = await this.apiTokens.create(workspace.id, 'initial admin token', Role.ADMIN);
    return { workspace: { id: workspace.id, name: workspace.name }, adminToken: secret };
  }
}
