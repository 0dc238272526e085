// Two real ingest OS processes side by side over one migrated database, with the core app to create
// NODEJS sources and their write keys: the fixture of the specs that check exactness across processes.
import { WorkspacesService } from '@app/auth';
import { SourceEnvironment, SourceKind } from '@app/common';
import { SourcesService, WriteKeysService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { startCoreApp } from './core-app';
import { migrateFresh, requiredEnv } from './database';
import { type IngestProcess, startIngestProcess } from './ingest-process';

export interface IngestPair {
  first: IngestProcess;
  second: IngestProcess;
  /** A NODEJS source of the pair's workspace (with this rate limit, if given) and a write key for it. */
  createSource(
    name: string,
    rateLimit?: { eventsPerSecond: number; burst: number },
  ): Promise<{ id: string; key: string }>;
  /** Stops the processes still running (SIGTERM) and the core app. */
  close(): Promise<void>;
}

export async function startIngestPair(): Promise<IngestPair> {
  await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
  const core: INestApplicationContext = await startCoreApp();
  const workspaceId = (await core.get(WorkspacesService).create(`Ingest pair ${randomUUID()}`)).workspace.id;
  const [first, second] = await Promise.all([startIngestProcess(), startIngestProcess()]);
  return {
    first,
    second,
    createSource: async (name, rateLimit) => {
      const sources = core.get(SourcesService);
      const source = await sources.create(workspaceId, {
        name,
        kind: SourceKind.NODEJS,
        environment: SourceEnvironment.PRODUCTION,
      });
      if (rateLimit) {
        await sources.update(workspaceId, source.id, { rateLimit });
      }
      const issued = await core.get(WriteKeysService).issue(workspaceId, source.id);
      return { id: source.id, key: issued.secret };
    },
    close: async () => {
      await Promise.all([first.stop(), second.stop()]);
      await core.close();
    },
  };
}
