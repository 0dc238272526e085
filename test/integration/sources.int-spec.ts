import { WorkspacesService } from '@app/auth';
import { Keyring, SourceEnvironment, SourceKind, SourceStatus, encodeCursor } from '@app/common';
import { CredentialVault } from '@app/sync';
import { SourceCredentialEntity } from '@app/database';
import { SourceCredentialsService, SourceLifecycleService, SourcesService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startCoreApp } from '../utils/core-app';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';

const { PRODUCTION, STAGING } = SourceEnvironment;

describe('sources on a real database', () => {
  let app: INestApplicationContext;
  let sources: SourcesService;
  let ws: string;
  let otherWs: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    app = await startCoreApp();
    sources = app.get(SourcesService);
    ws = (await app.get(WorkspacesService).create('Main')).workspace.id;
    otherWs = (await app.get(WorkspacesService).create('Other')).workspace.id;
  });
  afterAll(() => app.close());

  it('keeps names unique per workspace and environment among live sources only', async () => {
    const web = await sources.create(ws, { name: ' Web ', kind: SourceKind.JAVASCRIPT, environment: PRODUCTION });
    expect(web.name).toBe('Web');
    await expect(
      sources.create(ws, { name: 'Web', kind: SourceKind.IOS, environment: PRODUCTION }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await sources.create(ws, { name: 'Web', kind: SourceKind.JAVASCRIPT, environment: STAGING });
    await sources.create(otherWs, { name: 'Web', kind: SourceKind.JAVASCRIPT, environment: PRODUCTION });
    await app.get(SourceLifecycleService).delete(ws, web.id);
    const reused = await sources.create(ws, { name: 'Web', kind: SourceKind.JAVASCRIPT, environment: PRODUCTION });
    expect(reused.id).not.toBe(web.id);
    await expect(sources.get(ws, web.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never shows one workspace another workspace’s sources', async () => {
    const mine = await sources.create(ws, { name: 'Backend', kind: SourceKind.NODEJS, environment: PRODUCTION });
    await expect(sources.get(otherWs, mine.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(sources.update(otherWs, mine.id, { name: 'stolen' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(sources.setStatus(otherWs, mine.id, SourceStatus.PAUSED)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(app.get(SourceLifecycleService).delete(otherWs, mine.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const other = await sources.create(otherWs, { name: 'Theirs', kind: SourceKind.NODEJS, environment: PRODUCTION });

    // Their list is exactly their own sources (from this file): ours is absent, unfiltered and filtered.
    const theirs = await sources.list(otherWs, {}, 100);
    expect(theirs.items.map((s) => s.name).sort()).toEqual(['Theirs', 'Web']);
    expect(theirs.totalCount).toBe(2);
    expect(theirs.items.map((s) => s.id)).not.toContain(mine.id);
    const theirNode = await sources.list(otherWs, { kind: SourceKind.NODEJS }, 100);
    expect(theirNode.items.map((s) => s.id)).toEqual([other.id]);
    // And the other way round; our source is untouched.
    const ours = await sources.list(ws, { kind: SourceKind.NODEJS }, 100);
    expect(ours.items.map((s) => s.id)).toEqual([mine.id]);
    expect(await sources.get(ws, mine.id)).toMatchObject({ name: 'Backend', status: SourceStatus.ACTIVE });
  });

  it('pages with cursors: every source once, in creation order, filters applied to totalCount', async () => {
    const page = await app.get(WorkspacesService).create('Paging');
    const created = [];
    for (let i = 0; i < 7; i++) {
      created.push(
        await sources.create(page.workspace.id, {
          name: `s${i}`,
          kind: i % 2 ? SourceKind.STRIPE : SourceKind.GTM,
          environment: PRODUCTION,
        }),
      );
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await sources.list(page.workspace.id, {}, 3, after);
      expect(res.totalCount).toBe(7);
      seen.push(...res.items.map((s) => s.id));
      if (!res.hasNextPage) {
        break;
      }
      const last = res.items[res.items.length - 1];
      after = encodeCursor(last);
    }
    expect(seen).toEqual(created.map((s) => s.id));
    const stripe = await sources.list(page.workspace.id, { kind: SourceKind.STRIPE }, 100);
    expect(stripe.totalCount).toBe(3);
    await sources.setStatus(page.workspace.id, created[0].id, SourceStatus.PAUSED);
    expect(
      (await sources.list(page.workspace.id, { status: SourceStatus.PAUSED }, 100)).items.map((s) => s.id),
    ).toEqual([created[0].id]);
  });

  it('seals credentials, re-encrypts them under a new active key, and wipes them on delete', async () => {
    const stripe = await sources.create(ws, { name: 'Billing', kind: SourceKind.STRIPE, environment: PRODUCTION });
    await app
      .get(SourceCredentialsService)
      .set(ws, stripe.id, { kind: SourceKind.STRIPE, secretKey: 'sk_test_rotation123' });
    const db = app.get(DataSource);
    const row = await db.getRepository(SourceCredentialEntity).findOneByOrFail({ sourceId: stripe.id });
    expect(row.sealed).not.toContain('sk_test_rotation123');
    expect(row.keyId).toBe('v1');

    // Same database, new process: keyring v1 + v2 with v2 active (key rotation as an operator does it).
    const v1 = app.get(Keyring);
    const rotated = await startCoreApp({
      ENCRYPTION_KEYS: `v1:${exportKey(v1)},v2:${randomBytes(32).toString('base64')}`,
      ENCRYPTION_ACTIVE_KEY: 'v2',
    });
    try {
      const creds = rotated.get(SourceCredentialsService);
      expect(await creds.reencryptAll()).toBeGreaterThanOrEqual(1);
      expect((await db.getRepository(SourceCredentialEntity).findOneByOrFail({ sourceId: stripe.id })).keyId).toBe(
        'v2',
      );
      expect(await rotated.get(CredentialVault).open(stripe.id)).toEqual({
        kind: SourceKind.STRIPE,
        secretKey: 'sk_test_rotation123',
      });
      expect(await creds.reencryptAll()).toBe(0);
    } finally {
      await rotated.close();
    }
    // A deleted source keeps its credentials sealed (restorable) but no activity can open them.
    await app.get(SourceLifecycleService).delete(ws, stripe.id);
    expect(await db.getRepository(SourceCredentialEntity).countBy({ sourceId: stripe.id })).toBe(1);
    await expect(app.get(CredentialVault).open(stripe.id)).rejects.toMatchObject({ nonRetryable: true });
  });
});

// Test-only: reads the key back out of the keyring instance so a second process can share it.
function exportKey(ring: Keyring): string {
  return ((ring as unknown as { keys: Map<string, Buffer> }).keys.get('v1') as Buffer).toString('base64');
}
