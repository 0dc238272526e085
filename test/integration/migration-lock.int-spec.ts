import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { createScratchDatabase, testDataSource } from '../utils/database';
import { testConfig } from '../utils/test-config';

const quiet = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

describe('migrations at api boot', () => {
  const apps: NestFastifyApplication[] = [];
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  it('two api instances booting at once on an empty database migrate exactly once', async () => {
    const url = await createScratchDatabase('tributary_lock');
    const config = testConfig({ DATABASE_URL: url, LOG_LEVEL: 'info' });
    const booted = await Promise.all([1, 2].map(() => createApiApp({ config, logDestination: quiet() })));
    apps.push(...booted);

    const ds = await testDataSource(url).initialize();
    try {
      const rows: { name: string; count: string }[] = await ds.query(
        'SELECT name, count(*) FROM typeorm_migrations GROUP BY name',
      );
      expect(rows.map((r) => Number(r.count))).toEqual(ds.migrations.map(() => 1));
      expect(rows).toHaveLength(ds.migrations.length);
      // Both are serving: the schema is complete for each.
      const workspaces: unknown[] = await ds.query('SELECT * FROM workspaces');
      expect(workspaces).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
