import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const LINE = /^(OK|WARN|MISSING) +(\S+(?: \S+)?) {2,}/;
const PREREQUISITES = [
  'Node.js',
  'Go',
  'Temporal CLI',
  'Chromium',
  ...[3000, 3001, 54329, 7233, 8233, 4242].map((p) => `port ${p}`),
];

function doctor(env: NodeJS.ProcessEnv): Promise<{ code: number | null; lines: Map<string, string>; stdout: string }> {
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register'), join(__dirname, 'doctor.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  return new Promise((resolve) =>
    child.once('close', (code) => {
      const lines = new Map<string, string>();
      for (const line of stdout.split('\n')) {
        const match = LINE.exec(line);
        if (match) {
          lines.set(match[2], match[1]);
        }
      }
      resolve({ code, lines, stdout });
    }),
  );
}

describe('npm run doctor (the real script)', () => {
  it('prints a line per prerequisite on this machine, and exits 1 exactly when one is MISSING', async () => {
    const { code, lines, stdout } = await doctor(process.env);
    expect([...lines.keys()]).toEqual(PREREQUISITES);
    expect(code).toBe([...lines.values()].includes('MISSING') ? 1 : 0);
    expect(stdout).toMatch(code === 0 ? /Nothing required is missing/ : /Something required is MISSING/);
  }, 30_000);

  it('finds what is missing on a bare machine: no Go, no Temporal, no Chromium', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tributary-doctor-'));
    try {
      // PATH has nothing on it and the Temporal cache is empty; Node is still the one npm runs.
      const { code, lines, stdout } = await doctor({ PATH: empty, XDG_CACHE_HOME: empty, HOME: empty });
      expect(code).toBe(1);
      expect(lines.get('Node.js')).toBe('OK');
      expect(lines.get('Go')).toBe('MISSING');
      expect(lines.get('Temporal CLI')).toBe('MISSING');
      expect(lines.get('Chromium')).toBe('MISSING');
      expect(stdout).toContain(`not on PATH, not cached in ${join(empty, 'tributary', 'bin')}`);
      expect(stdout).toContain('fix: sudo apt-get update && sudo apt-get install -y chromium');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 30_000);
});
