import { SourceWriteKeyEntity } from '@app/database';
import { type EntityManager, IsNull } from 'typeorm';

// The worker LISTENs here to add or remove a source's task-queue worker within seconds (see apps/worker).
const SOURCES_CHANNEL = 'tributary_sources';

/** Tells the worker a source changed; delivered on commit only, so it never sees a rolled-back change. */
export async function notifySourceChanged(em: EntityManager, sourceId: string): Promise<void> {
  await em.query('SELECT pg_notify($1, $2)', [SOURCES_CHANNEL, sourceId]);
}

export async function revokeAllWriteKeys(em: EntityManager, sourceId: string, now: Date): Promise<void> {
  await em.getRepository(SourceWriteKeyEntity).update({ sourceId, revokedAt: IsNull() }, { revokedAt: now });
}
