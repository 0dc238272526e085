// .ci/run, before the tests: the browser tier drives a system Chromium, found as the tests find it
// (scripts/lib/chromium.ts). When there is none, installs Debian's `chromium` with apt-get if we are root,
// else stops with the command to run. Prints what it did either way.
import { execFile } from 'node:child_process';
import { CHROMIUM_INSTALL_COMMAND, findChromium } from '../lib/chromium';

const INSTALL_STEPS = [
  ['update', '-qq'],
  ['install', '-y', '-qq', 'chromium'],
];
const APT_TIME_LIMIT_MS = 15 * 60_000;

const say = (line: string): void => void process.stdout.write(`[chromium] ${line}\n`);
const fail = (line: string): number => (process.stderr.write(`[chromium] FAILED: ${line}\n`), 1);

async function main(): Promise<number> {
  const found = findChromium(process.env);
  if (found.found) {
    say(`${found.path} (from ${found.source}); nothing to install`);
    return 0;
  }
  if (found.fromEnv) {
    return fail(`${found.problem}: point it at a Chromium binary, or unset it to use chromium on PATH`);
  }
  const uid = await run('id', ['-u']);
  if (uid.output.trim() !== '0') {
    return fail(
      `${found.problem}, and not running as root, so not installing it. Run: ${CHROMIUM_INSTALL_COMMAND} ` +
        '(or set CHROMIUM_PATH to a Chromium binary), then .ci/run again',
    );
  }
  return install(found.problem);
}

async function install(problem: string): Promise<number> {
  say(`${problem}: installing Debian's chromium (apt-get update, apt-get install -y chromium)`);
  const started = Date.now();
  for (const args of INSTALL_STEPS) {
    const result = await run('apt-get', args);
    if (result.missing) {
      return fail(`${problem}, and there is no apt-get here: install Chromium yourself and set CHROMIUM_PATH`);
    }
    if (!result.ok) {
      return fail(`apt-get ${args.join(' ')} failed:\n${result.output}`);
    }
  }
  const after = findChromium(process.env);
  if (!after.found) {
    return fail(`apt-get installed chromium, yet ${after.problem}`);
  }
  say(`installed Debian's chromium in ${((Date.now() - started) / 1000).toFixed(0)} s: ${after.path}`);
  return 0;
}

/** Runs a command quietly; its output is kept for the failure message. */
function run(command: string, args: string[]): Promise<{ ok: boolean; missing: boolean; output: string }> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return new Promise((resolve) =>
    execFile(command, args, { env, timeout: APT_TIME_LIMIT_MS, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const missing = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      resolve({ ok: !error, missing, output: `${stdout}${stderr}`.trim() || (error?.message ?? '') });
    }),
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(fail(error instanceof Error ? error.message : String(error))),
);
