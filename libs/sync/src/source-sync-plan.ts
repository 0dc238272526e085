import { SourceStatus } from '@app/common';
import { syncObjects } from '@app/connectors';
import { SourceCredentialEntity, SourceEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';

/** What a source-level sync runs now: its objects, or why it runs nothing. */
export type SourceSyncPlan = { objects: string[]; kind: string; workspaceId: string } | { skip: string };

/**
 * Reads, when a scheduled sync starts, whether the source may sync and what. A schedule can fire just as
 * its source is paused or deleted, or before credentials are set: the run then ends quietly, saying why.
 */
@Injectable()
export class SourceSyncPlanner {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async plan(sourceId: string): Promise<SourceSyncPlan> {
    const source = await this.db.getRepository(SourceEntity).findOneBy({ id: sourceId, deletedAt: IsNull() });
    if (!source) {
      return { skip: 'The source was deleted' };
    }
    if (source.status !== SourceStatus.ACTIVE) {
      return { skip: `The source is ${source.status}` };
    }
    if (!(await this.db.getRepository(SourceCredentialEntity).existsBy({ sourceId }))) {
      return { skip: 'The source has no credentials yet (setSourceCredentials)' };
    }
    const objects = syncObjects(source.kind);
    return objects.length
      ? { objects, kind: source.kind, workspaceId: source.workspaceId }
      : { skip: `${source.kind} syncs nothing yet` };
  }
}
