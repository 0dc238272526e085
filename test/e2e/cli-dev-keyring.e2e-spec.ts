import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateFresh, queryTestDb, requiredEnv } from '../utils/database';

const ROOT = join(__dirname, '..', '..');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real CLI from source, as `npm run cli` runs it, in `cwd` (standing in for the repository root, so the
 * real .data is never touched) with exactly `env`: no ENCRYPTION_* unless given.
 */
function runCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const child = spawn(
    process.execPath,
    ['-r', require.resolve('ts-node/register'), join(ROOT, 'apps/cli/src/main.ts'), ...args],
    {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        DATABASE_URL: requiredEnv('TEST_DATABASE_URL'),
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const keyring = (): string => `v1:${randomBytes(32).toString('base64')}`;

async function workspaceNamed(id: string): Promise<string | undefined> {
  const rows = await queryTestDb<{ name: string }>('SELECT name FROM workspaces WHERE id = $1', [id]);
  return rows[0]?.name;
}

describe('npm run cli without ENCRYPTION_* variables', () => {
  let root: string;

  beforeAll(() => migrateFresh(requiredEnv('TEST_DATABASE_URL')));
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tributary-cli-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const writeDevKeys = (content: string): string => {
    mkdirSync(join(root, '.data'));
    writeFileSync(join(root, '.data', 'dev-keys'), content, { mode: 0o600 });
    return join(root, '.data', 'dev-keys');
  };

  it('uses .data/dev-keys written by npm run dev, says so on stderr, and creates the workspace', async () => {
    const path = writeDevKeys(`# written by npm run dev\nENCRYPTION_KEYS=${keyring()}\nENCRYPTION_ACTIVE_KEY=v1\n`);
    const run = await runCli(root, ['create-workspace', 'Acme', '--json']);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stderr).toContain(
      `ENCRYPTION_KEYS and ENCRYPTION_ACTIVE_KEY are unset: using the local dev keyring ${path}`,
    );
    const created = JSON.parse(run.stdout) as { workspace: { id: string }; adminToken: string };
    expect(created.adminToken).toMatch(/^trb_/);
    expect(await workspaceNamed(created.workspace.id)).toBe('Acme');
  }, 60_000);

  it('without the file, fails naming the variable and how to get a keyring', async () => {
    const run = await runCli(root, ['create-workspace', 'Acme']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ENCRYPTION_KEYS (unset)');
    expect(run.stderr).toContain('hint: set ENCRYPTION_KEYS and ENCRYPTION_ACTIVE_KEY');
    expect(run.stderr).toContain('npm run dev');
    expect(run.stdout).toBe('');
  }, 60_000);

  it('never reads the file when the environment sets the keyring', async () => {
    writeDevKeys('not a keyring\n'); // would be refused if it were read
    const run = await runCli(root, ['create-workspace', 'Env keyring', '--json'], {
      ENCRYPTION_KEYS: keyring(),
      ENCRYPTION_ACTIVE_KEY: 'v1',
    });
    expect(run).toMatchObject({ code: 0 });
    expect(run.stderr).not.toContain('dev keyring');
    const created = JSON.parse(run.stdout) as { workspace: { id: string } };
    expect(await workspaceNamed(created.workspace.id)).toBe('Env keyring');
  }, 60_000);
});
