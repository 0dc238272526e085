import { WorkspacesService } from '@app/auth';
import { SourceEnvironment, SourceKind, SourceStatus } from '@app/common';
import { SourceLifecycleService, SourcesService, WriteKeyStatus, WriteKeysService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { startCoreApp } from '../utils/core-app';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';

const HOUR = 3_600_000;

describe('write keys on a real database', () => {
  let app: INestApplicationContext;
  let keys: WriteKeysService;
  let workspaceId: string;
  let sourceId: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    app = await startCoreApp();
    keys = app.get(WriteKeysService);
    workspaceId = (await app.get(WorkspacesService).create('Keys')).workspace.id;
  });
  beforeEach(async () => {
    const source = await app.get(SourcesService).create(workspaceId, {
      name: `web ${Date.now()}`,
      kind: SourceKind.JAVASCRIPT,
      environment: SourceEnvironment.PRODUCTION,
    });
    sourceId = source.id;
  });
  afterAll(() => app.close());

  it('verifies a fresh key and refuses a second issue', async () => {
    const issued = await keys.issue(workspaceId, sourceId);
    expect(await keys.verify(issued.secret)).toEqual({
      writeKeyId: issued.writeKey.id,
      sourceId,
      workspaceId,
      sourceStatus: SourceStatus.ACTIVE,
    });
    await expect(keys.issue(workspaceId, sourceId)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await keys.verify(`${issued.writeKey.prefix}_${'x'.repeat(43)}`)).toBeNull();
  });

  it('keeps the old key valid during the overlap and never more than two keys', async () => {
    const first = await keys.issue(workspaceId, sourceId);
    const second = await keys.rotate(workspaceId, sourceId, 3600);
    const now = new Date();
    expect(await keys.verify(first.secret, now)).not.toBeNull();
    expect(await keys.verify(second.secret, now)).not.toBeNull();
    expect(await keys.verify(first.secret, new Date(now.getTime() + 2 * HOUR))).toBeNull();

    const third = await keys.rotate(workspaceId, sourceId, 3600);
    expect(await keys.verify(first.secret)).toBeNull(); // was still in its overlap: revoked by the second rotation
    expect(await keys.verify(second.secret)).not.toBeNull();
    expect(await keys.verify(third.secret)).not.toBeNull();
    const statuses = (await keys.listForSources([sourceId])).get(sourceId)?.map((k) => k.status);
    expect(statuses).toEqual([WriteKeyStatus.ACTIVE, WriteKeyStatus.EXPIRING, WriteKeyStatus.REVOKED]);
  });

  it('rotation with no overlap stops the old key at once; revocation stops any key', async () => {
    const first = await keys.issue(workspaceId, sourceId);
    const second = await keys.rotate(workspaceId, sourceId, 0);
    expect(await keys.verify(first.secret)).toBeNull();
    await keys.revoke(workspaceId, second.writeKey.id);
    expect(await keys.verify(second.secret)).toBeNull();
    await expect(keys.rotate(workspaceId, sourceId)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('stops every key of a deleted source', async () => {
    const issued = await keys.issue(workspaceId, sourceId);
    await app.get(SourceLifecycleService).delete(workspaceId, sourceId);
    expect(await keys.verify(issued.secret)).toBeNull();
  });

  it('lets only one of two concurrent issues win', async () => {
    const results = await Promise.allSettled([keys.issue(workspaceId, sourceId), keys.issue(workspaceId, sourceId)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } });
  });
});
