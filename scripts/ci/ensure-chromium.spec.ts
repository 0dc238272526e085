import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(__dirname, 'ensure-chromium.ts');

// Stand-ins for `id` and `apt-get` that record each call; `apt-get install` "installs" a chromium.
const FAKE_ID = '#!/bin/sh\necho "id $*" >> "$FAKE_LOG"\necho "$FAKE_UID"\n';
const FAKE_APT_GET = `#!/bin/sh
echo "apt-get $* (DEBIAN_FRONTEND=$DEBIAN_FRONTEND)" >> "$FAKE_LOG"
if [ "$1" = install ] && [ -z "$FAKE_APT_FAILS" ]; then
  printf '#!/bin/sh\\n' > "$FAKE_BIN/chromium" && /bin/chmod +x "$FAKE_BIN/chromium"
fi
if [ -n "$FAKE_APT_FAILS" ]; then echo "E: Unable to locate package chromium" >&2; exit 100; fi
`;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
}

describe('scripts/ci/ensure-chromium.ts (with fake id and apt-get on PATH)', () => {
  let bin: string;

  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'tributary-fakebin-'));
    writeExecutable('id', FAKE_ID);
    writeExecutable('apt-get', FAKE_APT_GET);
  });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  function writeExecutable(name: string, content: string): string {
    writeFileSync(join(bin, name), content);
    chmodSync(join(bin, name), 0o755);
    return join(bin, name);
  }

  function ensure(env: Record<string, string>): Promise<Outcome> {
    const log = join(bin, 'calls.log');
    const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register'), SCRIPT], {
      cwd: ROOT,
      // PATH is only the fake bin: the machine's own chromium and apt-get are out of sight.
      env: { PATH: bin, FAKE_LOG: log, FAKE_BIN: bin, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    return new Promise((resolve) =>
      child.once('close', (code) => {
        const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
        resolve({ code, stdout, stderr, calls });
      }),
    );
  }

  it('does nothing when chromium is on PATH', async () => {
    const chromium = writeExecutable('chromium', '#!/bin/sh\n');
    const outcome = await ensure({ FAKE_UID: '0' });
    expect(outcome).toMatchObject({ code: 0, calls: [] });
    expect(outcome.stdout).toContain(`${chromium} (from PATH); nothing to install`);
  });

  it('does nothing when CHROMIUM_PATH names a browser, and refuses a CHROMIUM_PATH that is not one', async () => {
    const browser = writeExecutable('my-chrome', '#!/bin/sh\n');
    const ok = await ensure({ FAKE_UID: '0', CHROMIUM_PATH: browser });
    expect(ok).toMatchObject({ code: 0, calls: [] });
    expect(ok.stdout).toContain(`${browser} (from CHROMIUM_PATH); nothing to install`);

    const wrong = await ensure({ FAKE_UID: '0', CHROMIUM_PATH: join(bin, 'missing') });
    expect(wrong).toMatchObject({ code: 1, calls: [] });
    expect(wrong.stderr).toContain(`CHROMIUM_PATH=${join(bin, 'missing')} is not an executable file`);
  });

  it('as root, installs Debian chromium quietly (update, then install) and reports it', async () => {
    const outcome = await ensure({ FAKE_UID: '0' });
    expect(outcome.calls).toEqual([
      'id -u',
      'apt-get update -qq (DEBIAN_FRONTEND=noninteractive)',
      'apt-get install -y -qq chromium (DEBIAN_FRONTEND=noninteractive)',
    ]);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain("installing Debian's chromium (apt-get update, apt-get install -y chromium)");
    expect(outcome.stdout).toMatch(new RegExp(`installed Debian's chromium in \\d+ s: ${join(bin, 'chromium')}`));
  });

  it('as root, stops with apt-get output when the install fails', async () => {
    const outcome = await ensure({ FAKE_UID: '0', FAKE_APT_FAILS: '1' });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('apt-get update -qq failed:\nE: Unable to locate package chromium');
  });

  it('as another user, installs nothing and exits non-zero with the command to run', async () => {
    const outcome = await ensure({ FAKE_UID: '1000' });
    expect(outcome).toMatchObject({ code: 1, calls: ['id -u'] });
    expect(outcome.stderr).toContain('not running as root, so not installing it');
    expect(outcome.stderr).toContain('Run: sudo apt-get update && sudo apt-get install -y chromium');
  });
});
