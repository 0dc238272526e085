import { DomainException } from '@app/common';
import { SourceEntity } from '@app/database';
import { type EntityManager, IsNull } from 'typeorm';

/** Loads a live (not deleted) source of the workspace, optionally row-locked; NOT_FOUND otherwise. */
export async function findLiveSource(
  em: EntityManager,
  workspaceId: string,
  id: string,
  lock = false,
): Promise<SourceEntity> {
  const source = await em.getRepository(SourceEntity).findOne({
    where: { id, workspaceId, deletedAt: IsNull() },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!source) {
    throw DomainException.notFound('Source', id);
  }
  return source;
}
