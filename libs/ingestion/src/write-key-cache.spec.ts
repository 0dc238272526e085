import { cachedWriteKeys } from './write-key-cache';
import type { WriteKeyResolution } from './tracking.routes';

describe('cachedWriteKeys', () => {
  const ok: WriteKeyResolution = { ok: true, sourceId: 's1', allowedOrigins: [] };

  it('resolves a key once per ttl, sharing a lookup in flight, then again after the ttl', async () => {
    let clock = 0;
    const calls: string[] = [];
    const sut = cachedWriteKeys(
      (key) => {
        calls.push(key);
        return Promise.resolve(ok);
      },
      1000,
      () => clock,
    );
    await Promise.all([sut('k1'), sut('k1'), sut('k2')]);
    clock = 999;
    await sut('k1');
    expect(calls).toEqual(['k1', 'k2']);
    clock = 1000;
    await sut('k1');
    expect(calls).toEqual(['k1', 'k2', 'k1']);
  });

  it('does not keep a failed lookup', async () => {
    let fail = true;
    const sut = cachedWriteKeys(() => (fail ? Promise.reject(new Error('database down')) : Promise.resolve(ok)));
    await expect(sut('k1')).rejects.toThrow('database down');
    fail = false;
    await expect(sut('k1')).resolves.toEqual(ok);
  });
});
