import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTemporal } from './ensure-temporal';

// findTemporal looks only; `npm run doctor` relies on it never building anything.
describe(findTemporal.name, () => {
  let dir: string;
  const path = process.env.PATH;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tributary-find-temporal-'));
    process.env.PATH = join(dir, 'empty-bin'); // no `temporal` on PATH, whatever this machine has
  });
  afterEach(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });

  function fakeTemporal(at: string, script = 'echo "temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)"'): string {
    mkdirSync(join(at, '..'), { recursive: true });
    writeFileSync(at, `#!/bin/sh\n${script}\n`);
    chmodSync(at, 0o755);
    return at;
  }

  it('takes TEMPORAL_CLI_PATH, and only it, when set', async () => {
    const binary = fakeTemporal(join(dir, 'tools', 'temporal'));
    await expect(findTemporal({ TEMPORAL_CLI_PATH: binary, XDG_CACHE_HOME: dir })).resolves.toEqual({
      found: true,
      path: binary,
      source: 'TEMPORAL_CLI_PATH',
      version: 'temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)',
    });
    fakeTemporal(join(dir, 'tributary', 'bin', 'temporal'));
    await expect(findTemporal({ TEMPORAL_CLI_PATH: join(dir, 'nope'), XDG_CACHE_HOME: dir })).resolves.toMatchObject({
      found: false,
      fromEnv: true,
      problem: expect.stringContaining(`TEMPORAL_CLI_PATH=${join(dir, 'nope')} does not run`) as string,
    });
  });

  it('finds the cached binary, reports a broken one, and says where it looked when there is none', async () => {
    await expect(findTemporal({ XDG_CACHE_HOME: dir })).resolves.toEqual({
      found: false,
      fromEnv: false,
      problem: `not on PATH, not cached in ${join(dir, 'tributary', 'bin')}`,
    });
    const cached = fakeTemporal(join(dir, 'tributary', 'bin', 'temporal'));
    await expect(findTemporal({ XDG_CACHE_HOME: dir })).resolves.toMatchObject({
      found: true,
      path: cached,
      source: 'cache',
    });
    fakeTemporal(cached, 'exit 3');
    await expect(findTemporal({ XDG_CACHE_HOME: dir })).resolves.toMatchObject({
      found: false,
      problem: expect.stringContaining(`${cached} does not run`) as string,
    });
  });
});
