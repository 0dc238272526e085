// The emulators as commands (`npm run emulator:<name>`, and what `npm run dev` starts): a bad variable stops
// the boot with its name and exit status 2; a good start prints its URL, serves, and stops cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const EMULATORS = ['stripe', 'hubspot', 'shopify'] as const;

interface Exit {
  code: number | null;
  out: string;
}

function start(
  name: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string; exited: Promise<Exit> } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', `emulators/${name}/src/main.ts`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TS_NODE_TRANSPILE_ONLY: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<Exit>((done) => child.once('exit', (code) => done({ code, out })));
  return { child, output: () => out, exited };
}

async function urlOf(output: () => string, exited: Promise<Exit>): Promise<string> {
  const deadline = Date.now() + 60_000;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    const url = / emulator on (http:\/\/[\d.:]+)/.exec(output())?.[1];
    if (url) {
      return url;
    }
    if (gone || Date.now() > deadline) {
      throw new Error(`no URL printed: ${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(EMULATORS)('the %s emulator command', (name) => {
  const prefix = `${name.toUpperCase()}_EMULATOR`;

  it('refuses a bad variable by name, with exit status 2', async () => {
    const { exited } = start(name, { [`${prefix}_PORT`]: 'eighty' });
    const { code, out } = await exited;
    expect(code).toBe(2);
    expect(out).toContain(`${name} emulator: ${prefix}_PORT must be an integer from 0 to 65535, got 'eighty'`);
  }, 90_000);

  it('prints its URL, answers, and stops on SIGTERM', async () => {
    const { child, output, exited } = start(name, { [`${prefix}_PORT`]: '0' });
    const url = await urlOf(output, exited);
    const answer = await fetch(`${url}/no-such-path`);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    child.kill('SIGTERM');
    const { code, out } = await exited;
    expect(code).toBe(0);
    expect(out).toContain(`${name} emulator stopping (SIGTERM)`);
  }, 90_000);
});

describe('on/off variables', () => {
  it.each(['hubspot', 'shopify'])(
    '%s refuses a throttle that is neither on nor off',
    async (name) => {
      const variable = `${name.toUpperCase()}_EMULATOR_THROTTLE`;
      const { code, out } = await start(name, { [variable]: 'maybe' }).exited;
      expect(code).toBe(2);
      expect(out).toContain(`${variable} must be on or off, got 'maybe'`);
    },
    90_000,
  );
});
