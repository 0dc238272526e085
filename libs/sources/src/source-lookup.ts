import { DomainException } from '@app/common';
import { SourceEntity } from '@app/database';
import { type EntityManager, IsNull } from 'typeorm';

/**
 * Loads a live (not deleted) source of the workspace, optionally row-locked; NOT_FOUND otherwise.
 * 'syncs' is the lock trigger, pause and delete serialise on: FOR NO KEY UPDATE, which a sync's own
 * writes (rows referencing the source take FOR KEY SHARE) do not wait for, so delete can wait for them.
 */
export async function findLiveSource(
  em: EntityManager,
  workspaceId: string,
  id: string,
  lock: boolean | 'syncs' = false,
): Promise<SourceEntity> {
  const mode = lock === 'syncs' ? ('for_no_key_update' as const) : ('pessimistic_write' as const);
  const source = await em.getRepository(SourceEntity).findOne({
    where: { id, workspaceId, deletedAt: IsNull() },
    ...(lock ? { lock: { mode } } : {}),
  });
  if (!source) {
    throw DomainException.notFound('Source', id);
  }
  return source;
}
